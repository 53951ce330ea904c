package extract

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestSecretsRedact(t *testing.T) {
	for _, tc := range []struct{ dsn, password string }{
		{"postgres://u:pa%3Ass@h:5432/db?sslmode=disable", "pa%3Ass"},
		{"postgresql://u:p@ss@h/db", "p@ss"},
		{"host=h user=u password=hunter22 dbname=db", "hunter22"},
		{"host=h user=u password='hunter 22' dbname=db", "hunter 22"},
		{"u:my:pw@tcp(127.0.0.1:3306)/db?parseTime=true", "my:pw"},
		{"mysql://u:pw9x@h:3306/db", "pw9x"},
		{"mongodb://u:mongo-pw@h1,h2/app?replicaSet=r", "mongo-pw"},
		{"mongodb+srv://u:srv-pw@cluster.example.com/", "srv-pw"},
	} {
		var s secrets
		s.add(tc.dsn)
		msg := fmt.Sprintf("cannot connect with %s: bad password %s (decoded %s)", tc.dsn, tc.password, "pa:ss")
		red := s.redact(msg)
		assert.NotContains(t, red, tc.password, tc.dsn)
		assert.NotContains(t, red, tc.dsn)
		assert.Contains(t, red, "xxxxx")
	}
	var s secrets
	s.add("postgres://u:pa%3Ass@h/db")
	assert.Equal(t, "bad password xxxxx", s.redact("bad password pa:ss"), "the URL-decoded password")

	inner := fmt.Errorf("open: %w", fs.ErrNotExist)
	err := s.wrap(fmt.Errorf("dial postgres://u:pa%%3Ass@h/db: %w", inner))
	assert.Equal(t, "dial xxxxx: open: file does not exist", err.Error())
	assert.True(t, errors.Is(err, fs.ErrNotExist), "wrapping keeps the chain")
	assert.Nil(t, s.wrap(nil))
}
