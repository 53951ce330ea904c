package bqfake

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"time"
)

// Server is a running fake. All methods are safe for concurrent use.
type Server struct {
	srv *httptest.Server
	eng *engine
	// work serializes the use of the database: jobs, and the calls that
	// change the catalog. Take it before mu, never while holding mu.
	work   sync.Mutex
	jobsWG sync.WaitGroup

	mu       sync.Mutex
	projects map[string]*project
	jobs     []*job          // every inserted job, dry runs included, in order
	byID     map[string]*job // real jobs by project + ":" + id
	results  []*resultRule
	failures []*failureRule
	reqFails []*requestFailure
	requests []string
	uploads  map[string]*upload
	nextID   int
	now      func() time.Time
}

// New starts a fake with no projects; add them with [Server.AddProject] or
// [Server.AddDataset]. Call Close when done.
func New() *Server {
	eng, err := acquireEngine()
	if err != nil {
		panic(err)
	}
	s := &Server{
		eng:      eng,
		projects: map[string]*project{},
		byID:     map[string]*job{},
		uploads:  map[string]*upload{},
		now:      time.Now,
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serve))
	return s
}

// URL is the API endpoint to give the client (Config.APIEndpoint).
func (s *Server) URL() string { return s.srv.URL }

// Close cancels the jobs still running, stops the server and gives the
// database back to the pool (see engine.release).
func (s *Server) Close() {
	s.mu.Lock()
	for _, j := range s.jobs {
		j.cancel()
	}
	s.mu.Unlock()
	s.srv.Close()
	s.jobsWG.Wait()
	s.eng.release()
}

// Requests returns the HTTP calls served so far, as "METHOD /path".
func (s *Server) Requests() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.requests...)
}

// route is one REST method: a pattern over the path with the /bigquery/v2
// prefix removed, and its handler. Path parameters are passed in order.
type route struct {
	method  string
	pattern *regexp.Regexp
	handle  func(s *Server, w http.ResponseWriter, r *http.Request, p []string)
}

var routes = []route{
	{"GET", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)$`), (*Server).getDataset},
	{"POST", regexp.MustCompile(`^/projects/([^/]+)/datasets$`), (*Server).insertDataset},
	{"DELETE", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)$`), (*Server).deleteDataset},
	{"GET", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)/tables$`), (*Server).listTables},
	{"POST", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)/tables$`), (*Server).insertTable},
	{"GET", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)$`), (*Server).getTable},
	{"DELETE", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)$`), (*Server).deleteTable},
	{"GET", regexp.MustCompile(`^/projects/([^/]+)/datasets/([^/]+)/tables/([^/]+)/data$`), (*Server).listTableData},
	{"POST", regexp.MustCompile(`^/projects/([^/]+)/jobs$`), (*Server).insertJob},
	{"GET", regexp.MustCompile(`^/projects/([^/]+)/jobs/([^/]+)$`), (*Server).getJob},
	{"POST", regexp.MustCompile(`^/projects/([^/]+)/jobs/([^/]+)/cancel$`), (*Server).cancelJob},
	{"GET", regexp.MustCompile(`^/projects/([^/]+)/queries/([^/]+)$`), (*Server).getQueryResults},
	{"POST", regexp.MustCompile(`^/projects/([^/]+)/queries$`), (*Server).runQuery},
	{"POST", regexp.MustCompile(`^/upload/projects/([^/]+)/jobs$`), (*Server).uploadJob},
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	path := r.URL.EscapedPath()
	path = strings.Replace(path, "/bigquery/v2/", "/", 1)
	if strings.HasPrefix(path, "/upload/") {
		path = strings.Replace(path, "/upload/bigquery/v2/", "/upload/", 1)
	}
	s.mu.Lock()
	s.requests = append(s.requests, r.Method+" "+path)
	fail := s.takeRequestFailure(r.Method, path)
	s.mu.Unlock()
	if fail != nil && !fail.AfterHandling {
		_, _ = io.Copy(io.Discard, r.Body)
		writeError(w, fail.Code, fail.Reason, fail.Message)
		return
	}
	if fail != nil { // handle the call, then lose the response
		real := w
		w = httptest.NewRecorder()
		defer writeError(real, fail.Code, fail.Reason, fail.Message)
	}
	for _, rt := range routes {
		if rt.method != r.Method {
			continue
		}
		m := rt.pattern.FindStringSubmatch(path)
		if m == nil {
			continue
		}
		params := make([]string, len(m)-1)
		for i, p := range m[1:] {
			params[i] = unescape(p)
		}
		rt.handle(s, w, r, params)
		return
	}
	writeError(w, http.StatusNotFound, "notFound", fmt.Sprintf("bqfake: no such method: %s %s", r.Method, path))
}

// apiError is an error with the HTTP status and reason BigQuery would give.
type apiError struct {
	Code    int
	Reason  string
	Message string
}

func (e *apiError) Error() string { return e.Message }

func notFound(format string, args ...any) *apiError {
	return &apiError{http.StatusNotFound, "notFound", fmt.Sprintf(format, args...)}
}

func invalidQuery(format string, args ...any) *apiError {
	return &apiError{http.StatusBadRequest, "invalidQuery", fmt.Sprintf(format, args...)}
}

func writeAPIError(w http.ResponseWriter, e *apiError) { writeError(w, e.Code, e.Reason, e.Message) }

// writeError writes Google's JSON error envelope, which googleapi parses
// into *googleapi.Error with Errors[0].Reason.
func writeError(w http.ResponseWriter, code int, reason, msg string) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{
		"code":    code,
		"message": msg,
		"errors":  []map[string]any{{"domain": "global", "reason": reason, "message": msg}},
		"status":  statusName(code),
	}})
}

func statusName(code int) string {
	switch code {
	case 400:
		return "INVALID_ARGUMENT"
	case 403:
		return "PERMISSION_DENIED"
	case 404:
		return "NOT_FOUND"
	case 409:
		return "ALREADY_EXISTS"
	case 429:
		return "RESOURCE_EXHAUSTED"
	case 503:
		return "UNAVAILABLE"
	}
	return "INTERNAL"
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	_ = json.NewEncoder(w).Encode(v)
}

func readJSON(r *http.Request, v any) *apiError {
	if err := json.NewDecoder(r.Body).Decode(v); err != nil {
		return &apiError{http.StatusBadRequest, "invalid", "bqfake: bad request body: " + err.Error()}
	}
	return nil
}

func unescape(p string) string {
	out, err := url.PathUnescape(p)
	if err != nil {
		return p
	}
	return out
}
