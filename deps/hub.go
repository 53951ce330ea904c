package deps

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"golang.org/x/mod/semver"
)

// hubIndex is the hub's description of one package.
type hubIndex struct {
	Latest   string                `json:"latest"`
	Versions map[string]hubVersion `json:"versions"`
}

type hubVersion struct {
	Downloads struct {
		Tarball string `json:"tarball"`
	} `json:"downloads"`
}

// fetchHub resolves a hub package (namespace/name) to the newest version
// its ranges allow and downloads it.
func (in *installer) fetchHub(ctx context.Context, s Spec) (dir, version string, cleanup func(), err error) {
	ns, name, ok := strings.Cut(s.Package, "/")
	if !ok {
		return "", "", nil, fmt.Errorf("package %q: expected namespace/name, such as dbt-labs/dbt_utils", s.Package)
	}
	url := strings.TrimRight(in.opt.HubURL, "/") + "/api/v1/" + ns + "/" + name + ".json"
	var idx hubIndex
	if err := in.getJSON(ctx, url, &idx); err != nil {
		return "", "", nil, fmt.Errorf("cannot resolve %s through the dbt hub (%s): %v; "+
			"without the hub, install it from git: `- git: \"https://github.com/%s/<repository>.git\"` with `revision:` a tag", s.Package, in.opt.HubURL, err, ns)
	}
	version, err = pickVersion(idx, s.Version)
	if err != nil {
		return "", "", nil, fmt.Errorf("package %s: %w", s.Package, err)
	}
	tmp, err := os.MkdirTemp("", "mart-hub-")
	if err != nil {
		return "", "", nil, err
	}
	cleanup = func() { os.RemoveAll(tmp) }
	root, err := in.download(ctx, idx.Versions[version].Downloads.Tarball, tmp)
	if err != nil {
		return "", "", cleanup, fmt.Errorf("package %s %s: %w", s.Package, version, err)
	}
	return root, version, cleanup, nil
}

func (in *installer) getJSON(ctx context.Context, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := in.opt.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s answered %s", url, resp.Status)
	}
	return json.NewDecoder(io.LimitReader(resp.Body, 16<<20)).Decode(v)
}

// pickVersion returns the newest version of idx within every range of
// want (none: the latest).
func pickVersion(idx hubIndex, want Versions) (string, error) {
	var all []string
	for v := range idx.Versions {
		if semver.IsValid("v" + v) {
			all = append(all, v)
		}
	}
	sort.Slice(all, func(i, j int) bool { return semver.Compare("v"+all[i], "v"+all[j]) > 0 })
	for _, v := range all {
		ok := true
		for _, r := range want {
			if !inRange("v"+v, r) {
				ok = false
			}
		}
		if ok && (len(want) > 0 || semver.Prerelease("v"+v) == "") {
			return v, nil
		}
	}
	return "", fmt.Errorf("no version in %s (versions: %s)", strings.Join(want, ", "), strings.Join(all, ", "))
}

// inRange tests a semver against ">=1.0.0", "<2", "=1.1.0" or "1.1.0".
func inRange(v, r string) bool {
	r = strings.TrimSpace(r)
	for _, op := range []string{">=", "<=", "==", ">", "<", "="} {
		if strings.HasPrefix(r, op) {
			c := semver.Compare(v, "v"+strings.TrimSpace(r[len(op):]))
			switch op {
			case ">=":
				return c >= 0
			case "<=":
				return c <= 0
			case ">":
				return c > 0
			case "<":
				return c < 0
			}
			return c == 0
		}
	}
	return semver.Compare(v, "v"+r) == 0
}

// download fetches a .tar.gz into dir and returns the package root: the
// archive's single top-level directory, or dir.
func (in *installer) download(ctx context.Context, url, dir string) (string, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return "", err
	}
	resp, err := in.opt.Client.Do(req)
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return "", fmt.Errorf("%s answered %s", url, resp.Status)
	}
	if err := untar(resp.Body, dir); err != nil {
		return "", fmt.Errorf("unpacking %s: %w", url, err)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) == 1 && entries[0].IsDir() {
		return filepath.Join(dir, entries[0].Name()), nil
	}
	return dir, nil
}

// untar unpacks a gzipped tar stream of files and directories into dir;
// entries that would land outside dir are refused.
func untar(r io.Reader, dir string) error {
	gz, err := gzip.NewReader(r)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		target := filepath.Join(dir, filepath.FromSlash(h.Name))
		if rel, err := filepath.Rel(dir, target); err != nil || strings.HasPrefix(rel, "..") {
			return fmt.Errorf("archive entry %s escapes the package", h.Name)
		}
		switch h.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = writeFrom(target, tr, h.FileInfo().Mode().Perm())
		}
		if err != nil {
			return err
		}
	}
}

func writeFrom(file string, r io.Reader, perm os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(file, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, io.LimitReader(r, 256<<20)); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
