package deps

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A rendered URL with a password and no user name (https://:token@host)
// is redacted, not garbled: an empty user name is not replaced everywhere.
func TestRedactEmptyUserName(t *testing.T) {
	s := Spec{Git: "https://:{{ env_var('DBT_ENV_SECRET_T') }}@h/r.git", gitURL: "https://:TOKSECRET@h/r.git"}
	got := s.redact("fatal: unable to access host: TOKSECRET is wrong")
	assert.Equal(t, "fatal: unable to access host: xxxxx is wrong", got)
}
