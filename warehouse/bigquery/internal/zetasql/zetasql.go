// Package zetasql runs GoogleSQL's real parser, for tests: the ZetaSQL
// local service binary shipped in the npm package
// @fivetrandevelopers/zetasql (installed by .ci/install-zetasql into
// .cache/zetasql), started on a free local port and called over gRPC.
//
// Only two RPCs of zetasql.local_service.ZetaSqlLocalService are used,
// GetLanguageOptions and Parse, and only a few fields of their messages, so
// the messages are encoded by hand with protowire and sent with a codec
// that passes bytes through: no generated code, no .proto compilation. The
// field numbers come from the package's lib/zetasql/protos/local_service.proto
// and zetasql/proto/options.proto:
//
//	LanguageOptionsRequest { optional bool maximum_features = 1; }
//	LanguageOptionsProto   { ... repeated ResolvedNodeKind supported_statement_kinds = 6; ... }
//	ParseRequest           { string sql_statement = 1; LanguageOptionsProto options = 2; bool allow_script = 4; }
//
// Parse with allow_script true parses scripts (BEGIN ... END, DECLARE, IF,
// transactions) as well as single statements. The language options are the
// service's maximum features with supported_statement_kinds emptied (which
// means every kind of statement), as BigQuery accepts them.
package zetasql

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/status"
	"google.golang.org/protobuf/encoding/protowire"
)

// PackageDir is where .ci/install-zetasql installs the npm package,
// relative to the repository root.
const PackageDir = ".cache/zetasql/node_modules/@fivetrandevelopers/zetasql"

const service = "/zetasql.local_service.ZetaSqlLocalService/"

// Binary returns the path of the local service binary for this machine
// under the repository root, or an error saying why there is none.
func Binary(repoRoot string) (string, error) {
	dir := filepath.Join(repoRoot, PackageDir)
	if env := os.Getenv("MART_ZETASQL_PACKAGE"); env != "" {
		dir = env
	}
	name := "remote_server"
	if runtime.GOARCH == "arm64" {
		name += "_arm"
	}
	switch runtime.GOOS {
	case "linux":
		name += ".so" // the package's name for its Linux executables
	case "darwin":
	default:
		return "", fmt.Errorf("the zetasql package has no binary for %s", runtime.GOOS)
	}
	p := filepath.Join(dir, "lib", "zetasql", name)
	if _, err := os.Stat(p); err != nil {
		return "", fmt.Errorf("no ZetaSQL binary at %s (run .ci/install-zetasql): %w", p, errors.Unwrap(err))
	}
	return p, nil
}

// Server is a running local service.
type Server struct {
	cmd     *exec.Cmd
	conn    *grpc.ClientConn
	options []byte // LanguageOptionsProto for Parse
	exited  chan struct{}
}

// Start runs the binary on a free port and waits until it answers.
func Start(ctx context.Context, binary string) (*Server, error) {
	var lastErr error
	for range 3 { // the free port may be taken before the server binds it
		port, err := freePort()
		if err != nil {
			return nil, err
		}
		s, err := start(ctx, binary, port)
		if err == nil {
			return s, nil
		}
		lastErr = err
	}
	return nil, lastErr
}

func start(ctx context.Context, binary string, port int) (*Server, error) {
	cmd := exec.Command(binary, "127.0.0.1", strconv.Itoa(port))
	cmd.Stdout, cmd.Stderr = nil, nil
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", binary, err)
	}
	s := &Server{cmd: cmd, exited: make(chan struct{})}
	go func() { _ = cmd.Wait(); close(s.exited) }()
	conn, err := grpc.NewClient("127.0.0.1:"+strconv.Itoa(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		s.Close()
		return nil, err
	}
	s.conn = conn
	deadline := time.Now().Add(60 * time.Second)
	for {
		opts, err := s.maximumFeatures(ctx)
		if err == nil {
			s.options = opts
			return s, nil
		}
		select {
		case <-s.exited:
			s.Close()
			return nil, fmt.Errorf("%s exited: %v", binary, err)
		case <-ctx.Done():
			s.Close()
			return nil, ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.Close()
			return nil, fmt.Errorf("%s did not answer within a minute: %w", binary, err)
		}
	}
}

// Close stops the server.
func (s *Server) Close() {
	if s.conn != nil {
		_ = s.conn.Close()
	}
	if s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		<-s.exited
	}
}

// maximumFeatures asks for the maximum-features language options and
// empties supported_statement_kinds (field 6).
func (s *Server) maximumFeatures(ctx context.Context) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	req := protowire.AppendTag(nil, 1, protowire.VarintType)
	req = protowire.AppendVarint(req, 1)
	var resp []byte
	if err := s.conn.Invoke(ctx, service+"GetLanguageOptions", &req, &resp, grpc.ForceCodec(rawCodec{})); err != nil {
		return nil, err
	}
	return dropField(resp, 6)
}

// Parse parses sql as a GoogleSQL script. A syntax error comes back as an
// error with ZetaSQL's message ("Syntax error: ... [at 3:5]").
func (s *Server) Parse(ctx context.Context, sql string) error {
	req := protowire.AppendTag(nil, 1, protowire.BytesType)
	req = protowire.AppendString(req, sql)
	req = protowire.AppendTag(req, 2, protowire.BytesType)
	req = protowire.AppendBytes(req, s.options)
	req = protowire.AppendTag(req, 4, protowire.VarintType)
	req = protowire.AppendVarint(req, 1)
	var resp []byte
	err := s.conn.Invoke(ctx, service+"Parse", &req, &resp, grpc.ForceCodec(rawCodec{}))
	if st, ok := status.FromError(err); ok && err != nil {
		return errors.New(st.Message())
	}
	return err
}

// dropField removes every occurrence of field num from a message.
func dropField(msg []byte, num protowire.Number) ([]byte, error) {
	var out []byte
	for len(msg) > 0 {
		n, typ, tagLen := protowire.ConsumeTag(msg)
		if tagLen < 0 {
			return nil, protowire.ParseError(tagLen)
		}
		valLen := protowire.ConsumeFieldValue(n, typ, msg[tagLen:])
		if valLen < 0 {
			return nil, protowire.ParseError(valLen)
		}
		if n != num {
			out = append(out, msg[:tagLen+valLen]...)
		}
		msg = msg[tagLen+valLen:]
	}
	return out, nil
}

// rawCodec sends and receives messages already encoded, as *[]byte.
type rawCodec struct{}

func (rawCodec) Marshal(v any) ([]byte, error) { return *v.(*[]byte), nil }

func (rawCodec) Unmarshal(data []byte, v any) error {
	*v.(*[]byte) = append([]byte(nil), data...)
	return nil
}

func (rawCodec) Name() string { return "proto" }

func freePort() (int, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port, nil
}
