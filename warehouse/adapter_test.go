package warehouse

import (
	"context"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type stubDialect struct{ Dialect }

func (stubDialect) Name() string { return "stubengine" }

type stubAdapter struct{}

func (stubAdapter) Dialect() Dialect                     { return stubDialect{} }
func (stubAdapter) ParseTarget(Settings) (Target, error) { return Target{}, nil }
func (stubAdapter) Open(context.Context, Target, OpenOptions) (Warehouse, error) {
	return nil, errors.New("no engine")
}

func TestRegistry(t *testing.T) {
	Register(stubAdapter{})
	a, err := Lookup("StubEngine")
	require.NoError(t, err)
	assert.Equal(t, "stubengine", a.Dialect().Name())
	assert.Contains(t, Adapters(), "stubengine")
	assert.Panics(t, func() { Register(stubAdapter{}) }, "a name is registered once")

	_, err = Lookup("snowflake")
	assert.EqualError(t, err, `unknown warehouse type "snowflake" (mart knows stubengine)`)
}

func TestSettingErrors(t *testing.T) {
	a := &SettingError{Key: "a", Err: errors.New("bad a")}
	b := &SettingError{Key: "b", Err: errors.New("bad b")}
	assert.Equal(t, []*SettingError{a, b}, SettingErrors(errors.Join(a, b)))
	assert.Equal(t, []*SettingError{{Err: errors.New("plain")}}, SettingErrors(errors.New("plain")))
	assert.Nil(t, SettingErrors(nil))

	bad := CheckKeys(Settings{"type": "x", "pth": "p", "zzz": 1}, []string{"type", "path"})
	require.Len(t, bad, 2)
	assert.Equal(t, "pth", bad[0].Key)
	assert.EqualError(t, bad[0], `unknown key "pth" (did you mean "path"?)`)
	assert.EqualError(t, bad[1], `unknown key "zzz"`)
}
