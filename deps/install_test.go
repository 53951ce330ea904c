package deps

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func write(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, p)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, []byte(content), 0o644))
	}
}

func run(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@t", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@t")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, string(out))
}

// gitRepo makes a repository holding a package in pkg/, tagged v1 then
// changed after the tag.
func gitRepo(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	run(t, repo, "git", "init", "--quiet", "-b", "main")
	write(t, repo, map[string]string{"pkg/dbt_project.yml": "name: gitpkg\n", "pkg/macros/m.sql": "{% macro v() %}1{% endmacro %}\n"})
	run(t, repo, "git", "add", "-A")
	run(t, repo, "git", "commit", "--quiet", "-m", "one")
	run(t, repo, "git", "tag", "v1")
	write(t, repo, map[string]string{"pkg/macros/m.sql": "{% macro v() %}2{% endmacro %}\n"})
	run(t, repo, "git", "commit", "--quiet", "-am", "two")
	return repo
}

func TestInstallLocalAndGit(t *testing.T) {
	repo := gitRepo(t)
	root := t.TempDir()
	project := filepath.Join(root, "project")
	write(t, root, map[string]string{
		"project/packages.yml":     "packages:\n  - local: ../localpkg\n  - git: " + repo + "\n    revision: v1\n    subdirectory: pkg\n",
		"localpkg/dbt_project.yml": "name: localpkg\n",
		"localpkg/packages.yml":    "packages:\n  - local: ../nested\n",
		"nested/dbt_project.yml":   "name: nested\n",
	})
	var logs []string
	got, err := Install(context.Background(), Options{ProjectDir: project, Log: func(m string) { logs = append(logs, m) }})
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, []string{"localpkg", "gitpkg", "nested"}, []string{got[0].Name, got[1].Name, got[2].Name})
	macro, err := os.ReadFile(filepath.Join(project, "dbt_packages", "gitpkg", "macros", "m.sql"))
	require.NoError(t, err)
	assert.Contains(t, string(macro), "1", "the tagged revision, not the branch's head")
	_, err = os.Stat(filepath.Join(project, "dbt_packages", "nested", "dbt_project.yml"))
	require.NoError(t, err, "a package's own packages are installed too")
	assert.Len(t, got[1].Version, 40, "the commit is locked")

	lockText, err := os.ReadFile(filepath.Join(project, "package-lock.yml"))
	require.NoError(t, err)
	assert.Contains(t, string(lockText), "revision: "+got[1].Version)
	assert.Contains(t, string(lockText), "sha1_hash: ")
	assert.Contains(t, string(lockText), "local: ../nested")

	// the lock is what the next install installs: a new commit on the
	// branch does not matter until --upgrade
	write(t, repo, map[string]string{"pkg/macros/m.sql": "{% macro v() %}3{% endmacro %}\n"})
	run(t, repo, "git", "commit", "--quiet", "-am", "three")
	write(t, project, map[string]string{"packages.yml": "packages:\n  - local: ../localpkg\n  - git: " + repo + "\n    subdirectory: pkg\n"})
	again, err := Install(context.Background(), Options{ProjectDir: project})
	require.NoError(t, err)
	macro, _ = os.ReadFile(filepath.Join(project, "dbt_packages", "gitpkg", "macros", "m.sql"))
	assert.Contains(t, string(macro), "3", "packages.yml changed: the lock is not used")
	assert.NotEqual(t, got[1].Version, again[1].Version)
}

func TestInstallFailureKeepsThePreviousPackages(t *testing.T) {
	root := t.TempDir()
	project := filepath.Join(root, "project")
	write(t, root, map[string]string{"project/packages.yml": "packages:\n  - local: ../p\n", "p/dbt_project.yml": "name: p\n"})
	_, err := Install(context.Background(), Options{ProjectDir: project})
	require.NoError(t, err)
	write(t, project, map[string]string{"packages.yml": "packages:\n  - local: ../p\n  - local: ../missing\n"})
	_, err = Install(context.Background(), Options{ProjectDir: project})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "packages.yml:3: local package ../missing")
	_, err = os.Stat(filepath.Join(project, "dbt_packages", "p", "dbt_project.yml"))
	assert.NoError(t, err, "the previous install is still in place")
}

func TestInstallFromHub(t *testing.T) {
	tarball := func(version string) []byte {
		var buf bytes.Buffer
		gz := gzip.NewWriter(&buf)
		tw := tar.NewWriter(gz)
		files := map[string]string{"utils-" + version + "/dbt_project.yml": "name: utils\nversion: " + version + "\n"}
		for name, body := range files {
			require.NoError(t, tw.WriteHeader(&tar.Header{Name: name, Mode: 0o644, Size: int64(len(body)), Typeflag: tar.TypeReg}))
			_, _ = tw.Write([]byte(body))
		}
		require.NoError(t, tw.Close())
		require.NoError(t, gz.Close())
		return buf.Bytes()
	}
	var hub *httptest.Server
	hub = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch {
		case r.URL.Path == "/api/v1/acme/utils.json":
			v := func(x string) string {
				return `"` + x + `": {"downloads": {"tarball": "` + hub.URL + `/tar/` + x + `"}}`
			}
			w.Write([]byte(`{"latest": "2.0.0", "versions": {` + v("1.1.0") + `, ` + v("1.2.3") + `, ` + v("2.0.0") + `}}`))
		case strings.HasPrefix(r.URL.Path, "/tar/"):
			w.Write(tarball(strings.TrimPrefix(r.URL.Path, "/tar/")))
		default:
			http.NotFound(w, r)
		}
	}))
	defer hub.Close()
	project := t.TempDir()
	write(t, project, map[string]string{"packages.yml": "packages:\n  - package: acme/utils\n    version: [\">=1.0.0\", \"<2.0.0\"]\n"})
	got, err := Install(context.Background(), Options{ProjectDir: project, HubURL: hub.URL})
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "1.2.3", got[0].Version, "the newest version in range")
	data, err := os.ReadFile(filepath.Join(project, "dbt_packages", "utils", "dbt_project.yml"))
	require.NoError(t, err)
	assert.Contains(t, string(data), "1.2.3")

	// an unreachable hub says what to do instead
	write(t, project, map[string]string{"packages.yml": "packages:\n  - package: acme/other\n    version: 1.0.0\n"})
	_, err = Install(context.Background(), Options{ProjectDir: project, HubURL: "http://127.0.0.1:1"})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "packages.yml:2: cannot resolve acme/other through the dbt hub (http://127.0.0.1:1)")
	assert.Contains(t, err.Error(), "install it from git")
}

func TestSpecErrors(t *testing.T) {
	project := t.TempDir()
	write(t, project, map[string]string{"packages.yml": "packages:\n  - local: a\n    git: b\n"})
	_, err := ReadSpecs(project)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "packages.yml:2: each package needs exactly one of local:, git: or package:")
	none, err := ReadSpecs(t.TempDir())
	require.NoError(t, err)
	assert.Empty(t, none.Packages)
}

func TestVersionRanges(t *testing.T) {
	idx := hubIndex{Versions: map[string]hubVersion{"0.9.0": {}, "1.0.0": {}, "1.4.2": {}, "2.0.0-rc1": {}}}
	v, err := pickVersion(idx, nil)
	require.NoError(t, err)
	assert.Equal(t, "1.4.2", v, "no range: the newest release")
	v, _ = pickVersion(idx, Versions{"<1.0.0"})
	assert.Equal(t, "0.9.0", v)
	v, _ = pickVersion(idx, Versions{"1.0.0"})
	assert.Equal(t, "1.0.0", v)
	_, err = pickVersion(idx, Versions{">3"})
	assert.Error(t, err)
}

// An unchanged packages.yml installs what package-lock.yml records; Upgrade
// resolves again.
func TestLockPinsTheCommit(t *testing.T) {
	repo := gitRepo(t)
	project := t.TempDir()
	write(t, project, map[string]string{"packages.yml": "packages:\n  - git: " + repo + "\n    subdirectory: pkg\n"})
	first, err := Install(context.Background(), Options{ProjectDir: project})
	require.NoError(t, err)
	write(t, repo, map[string]string{"pkg/macros/m.sql": "{% macro v() %}9{% endmacro %}\n"})
	run(t, repo, "git", "commit", "--quiet", "-am", "nine")
	again, err := Install(context.Background(), Options{ProjectDir: project})
	require.NoError(t, err)
	assert.Equal(t, first[0].Version, again[0].Version, "the lock's commit")
	upgraded, err := Install(context.Background(), Options{ProjectDir: project, Upgrade: true})
	require.NoError(t, err)
	assert.NotEqual(t, first[0].Version, upgraded[0].Version)
	macro, _ := os.ReadFile(filepath.Join(project, "dbt_packages", "gitpkg", "macros", "m.sql"))
	assert.Contains(t, string(macro), "9")
}

// A package's name comes from its own project file, which a package's
// author writes: a name that is not a plain project name (../../x, an
// absolute path) is an error, and nothing is written outside
// dbt_packages/.
func TestInstallRefusesPackageNamesThatAreNotNames(t *testing.T) {
	for _, name := range []string{"../../../escaped", "/tmp/abs_escaped", "a/b", "..", "x y", `"quoted"`} {
		t.Run(name, func(t *testing.T) {
			root := t.TempDir()
			project := filepath.Join(root, "a", "b", "c", "project")
			write(t, root, map[string]string{
				"a/b/c/project/mart.yml":     "name: p\n",
				"a/b/c/project/packages.yml": "packages:\n  - local: ../evil\n",
				"a/b/c/evil/dbt_project.yml": "name: '" + name + "'\n",
				"a/b/c/evil/macros/m.sql":    "{% macro v() %}1{% endmacro %}\n",
			})
			_, err := Install(context.Background(), Options{ProjectDir: project})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "not a valid package name")
			entries, _ := os.ReadDir(filepath.Join(root, "a", "b", "c"))
			var names []string
			for _, e := range entries {
				names = append(names, e.Name())
			}
			assert.ElementsMatch(t, []string{"project", "evil"}, names)
			_, err = os.Lstat("/tmp/abs_escaped")
			assert.True(t, os.IsNotExist(err))
			_, err = os.Stat(filepath.Join(project, "dbt_packages"))
			assert.True(t, os.IsNotExist(err), "nothing installed")
		})
	}
}

// A git URL or revision that git would read as an option (a package's own
// packages.yml is written by its author) is an error, never passed to git.
func TestGitSpecsThatLookLikeOptions(t *testing.T) {
	for _, spec := range []string{
		`git: "--upload-pack=touch /tmp/x; git-upload-pack"`,
		`git: "-uevil"`,
		"git: https://example.com/r.git\n    revision: --orphan=x",
	} {
		project := t.TempDir()
		write(t, project, map[string]string{"packages.yml": "packages:\n  - " + spec + "\n"})
		_, err := ReadSpecs(project)
		require.Error(t, err, spec)
		assert.Contains(t, err.Error(), "packages.yml:2: ", spec)
		assert.Contains(t, err.Error(), "would be read as an option", spec)
	}
}

// mart deps replaces the install path whole: pointed at the project, a
// folder above it or a folder of the project's own files, it refuses, and
// nothing is removed.
func TestInstallPathMustBeADirectoryOfPackages(t *testing.T) {
	for _, path := range []string{".", "..", "models", "./models/../"} {
		t.Run(path, func(t *testing.T) {
			root := t.TempDir()
			project := filepath.Join(root, "project")
			write(t, root, map[string]string{
				"project/mart.yml":     "name: p\n",
				"project/packages.yml": "packages:\n  - local: ../pkg\n",
				"project/models/m.sql": "select 1 as id",
				"pkg/dbt_project.yml":  "name: pk\n",
				"pkg/macros/m.sql":     "{% macro v() %}1{% endmacro %}\n",
			})
			_, err := Install(context.Background(), Options{ProjectDir: project, InstallPath: path})
			require.Error(t, err)
			assert.Contains(t, err.Error(), "packages-install-path")
			for _, f := range []string{"project/mart.yml", "project/models/m.sql", "pkg/dbt_project.yml"} {
				_, err := os.Stat(filepath.Join(root, f))
				assert.NoError(t, err, "%s is still there", f)
			}
		})
	}
	// a directory of packages (a previous install) is replaced as before
	root := t.TempDir()
	project := filepath.Join(root, "project")
	write(t, root, map[string]string{
		"project/mart.yml":                     "name: p\n",
		"project/packages.yml":                 "packages:\n  - local: ../pkg\n",
		"project/deps/old_pkg/dbt_project.yml": "name: old_pkg\n",
		"pkg/dbt_project.yml":                  "name: pk\n",
	})
	_, err := Install(context.Background(), Options{ProjectDir: project, InstallPath: "deps"})
	require.NoError(t, err)
	_, err = os.Stat(filepath.Join(project, "deps", "pk", "dbt_project.yml"))
	assert.NoError(t, err)
}

// A token in a git package's URL (https://user:token@host/...) never
// shows in mart deps' errors or progress lines.
func TestGitCredentialsAreNotShown(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	project := t.TempDir()
	write(t, project, map[string]string{"packages.yml": "packages:\n  - git: \"https://user:TOKSECRET@127.0.0.1:1/org/repo.git\"\n"})
	var logs []string
	_, err := Install(context.Background(), Options{ProjectDir: project, Log: func(m string) { logs = append(logs, m) }})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "https://user:xxxxx@127.0.0.1:1/org/repo.git")
	assert.NotContains(t, err.Error(), "TOKSECRET")
	assert.NotContains(t, strings.Join(logs, "\n"), "TOKSECRET")
	assert.Equal(t, "https://user:xxxxx@h/r.git//sub", source(Spec{Git: "https://user:TOKSECRET@h/r.git", Subdirectory: "sub"}))
	assert.Equal(t, "git@github.com:org/r.git", source(Spec{Git: "git@github.com:org/r.git"}))
}

// packages.yml's values may call env_var(), as in dbt; a git URL that
// reads a secret is handed to git rendered but shown and locked as written.
func TestPackagesYAMLRendersEnvVar(t *testing.T) {
	repo := gitRepo(t)
	project := t.TempDir()
	t.Setenv("DBT_ENV_SECRET_PKG_REPO", repo)
	t.Setenv("PKG_REV", "v1")
	write(t, project, map[string]string{"packages.yml": "packages:\n" +
		"  - git: \"{{ env_var('DBT_ENV_SECRET_PKG_REPO') }}\"\n    revision: \"{{ env_var('PKG_REV') }}\"\n" +
		"    subdirectory: \"{{ env_var('PKG_SUBDIR', 'pkg') }}\"\n"})
	var logs []string
	got, err := Install(context.Background(), Options{ProjectDir: project, Log: func(m string) { logs = append(logs, m) }})
	require.NoError(t, err)
	require.Len(t, got, 1)
	macro, err := os.ReadFile(filepath.Join(project, "dbt_packages", "gitpkg", "macros", "m.sql"))
	require.NoError(t, err)
	assert.Contains(t, string(macro), "1", "revision v1, from PKG_REV")
	lockText, err := os.ReadFile(filepath.Join(project, "package-lock.yml"))
	require.NoError(t, err)
	assert.Contains(t, string(lockText), "DBT_ENV_SECRET_PKG_REPO", "the lock keeps the URL as written")
	assert.NotContains(t, string(lockText), repo)
	assert.NotContains(t, strings.Join(logs, "\n"), repo)

	// a token from the environment never shows, even in git's own message
	t.Setenv("DBT_ENV_SECRET_GIT_TOKEN", "TOKSECRET")
	write(t, project, map[string]string{"packages.yml": "packages:\n" +
		"  - git: \"https://{{ env_var('DBT_ENV_SECRET_GIT_TOKEN') }}@127.0.0.1:1/org/repo.git\"\n"})
	logs = nil
	_, err = Install(context.Background(), Options{ProjectDir: project, Log: func(m string) { logs = append(logs, m) }})
	require.Error(t, err)
	assert.NotContains(t, err.Error(), "TOKSECRET")
	assert.NotContains(t, strings.Join(logs, "\n"), "TOKSECRET")

	// an unset variable without a default is an error at its line
	write(t, project, map[string]string{"packages.yml": "packages:\n  - local: ../x\n  - git: \"{{ env_var('NO_SUCH_PKG_VAR') }}\"\n"})
	_, err = Install(context.Background(), Options{ProjectDir: project})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "packages.yml:3:")
	assert.Contains(t, err.Error(), `env var "NO_SUCH_PKG_VAR" is not set`)
}

// The next install reads package-lock.yml, whose git URL is as written
// (an env_var() call): it is rendered there too.
func TestLockedGitURLRendersEnvVar(t *testing.T) {
	repo := gitRepo(t)
	project := t.TempDir()
	t.Setenv("DBT_ENV_SECRET_PKG_REPO", repo)
	write(t, project, map[string]string{"packages.yml": "packages:\n" +
		"  - git: \"{{ env_var('DBT_ENV_SECRET_PKG_REPO') }}\"\n    revision: v1\n    subdirectory: pkg\n"})
	_, err := Install(context.Background(), Options{ProjectDir: project})
	require.NoError(t, err)
	require.NoError(t, os.RemoveAll(filepath.Join(project, "dbt_packages")))
	got, err := Install(context.Background(), Options{ProjectDir: project})
	require.NoError(t, err)
	require.Len(t, got, 1)
	_, err = os.Stat(filepath.Join(project, "dbt_packages", "gitpkg", "macros", "m.sql"))
	require.NoError(t, err)
}
