// Package openlineage sends OpenLineage run events (openlineage.io) for
// what mart runs: a START and a COMPLETE or FAIL event per node, with its
// input and output datasets named by the OpenLineage naming conventions,
// and a parent run for the whole invocation (emitter.go, events.go).
//
// Sending never slows or fails a build: events go into a bounded queue
// that one background goroutine posts to the endpoint; a full queue drops
// events, a dead endpoint is one warning, and Close waits for the queue a
// bounded time only.
package openlineage

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
)

// Client posts events to an OpenLineage HTTP endpoint in the background.
type Client struct {
	url   string
	shown string // url without its credentials, for messages
	http  *http.Client
	queue chan []byte
	warn  func(string)
	done  chan struct{}

	mu      sync.Mutex
	sent    int
	failed  int
	dropped int
	warned  bool
}

// ClientOptions configure a Client. Zero values pick the defaults.
type ClientOptions struct {
	// QueueSize bounds the events waiting to be sent (default 1,000).
	QueueSize int
	// Timeout bounds one POST (default 5s).
	Timeout time.Duration
	// Warn reports a problem, once per kind (the endpoint does not answer,
	// events were dropped). nil ignores them.
	Warn func(msg string)
}

// NewClient starts a client for an endpoint URL. A URL without a path
// gets OpenLineage's /api/v1/lineage, as the OpenLineage clients do.
func NewClient(endpoint string, opt ClientOptions) (*Client, error) {
	u, err := EndpointURL(endpoint)
	if err != nil {
		return nil, err
	}
	if opt.QueueSize <= 0 {
		opt.QueueSize = 1000
	}
	if opt.Timeout <= 0 {
		opt.Timeout = 5 * time.Second
	}
	if opt.Warn == nil {
		opt.Warn = func(string) {}
	}
	c := &Client{url: u, shown: shownURL(u), http: &http.Client{Timeout: opt.Timeout}, queue: make(chan []byte, opt.QueueSize),
		warn: opt.Warn, done: make(chan struct{})}
	go c.send()
	return c, nil
}

// EndpointURL checks an endpoint URL and adds OpenLineage's default path,
// /api/v1/lineage, to one without a path.
func EndpointURL(endpoint string) (string, error) {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		// the URL may carry credentials: it is not repeated
		return "", fmt.Errorf("expected an http(s) URL such as http://localhost:5000 (the URL given is not one)")
	}
	if u.Path == "" || u.Path == "/" {
		u.Path = "/api/v1/lineage"
	}
	return u.String(), nil
}

// Emit queues an event; it never blocks. When the queue is full the event
// is dropped and counted.
func (c *Client) Emit(ev any) {
	b, err := json.Marshal(ev)
	if err != nil {
		c.warnOnce(fmt.Sprintf("OpenLineage: an event could not be encoded: %v", err))
		return
	}
	select {
	case c.queue <- b:
	default:
		c.mu.Lock()
		c.dropped++
		c.mu.Unlock()
	}
}

// send posts queued events until the queue is closed. After a failure it
// only drains the queue: a dead endpoint costs one refused connection (or
// one timeout), off the build's path.
func (c *Client) send() {
	defer close(c.done)
	down := false
	for b := range c.queue {
		err := errDown
		if !down {
			err = c.post(b)
			down = err != nil
		}
		c.mu.Lock()
		if err != nil {
			c.failed++
		} else {
			c.sent++
		}
		c.mu.Unlock()
		if err != nil && err != errDown {
			c.warnOnce(fmt.Sprintf("OpenLineage: cannot send events to %s: %v; the run goes on without lineage", c.shown, err))
		}
	}
}

var errDown = errors.New("the endpoint is down")

func (c *Client) post(b []byte) error {
	req, err := http.NewRequest(http.MethodPost, c.url, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		// *url.Error repeats the URL, with its query (an api_key)
		var ue *url.Error
		if errors.As(err, &ue) {
			return ue.Err
		}
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("the endpoint answered %s", resp.Status)
	}
	return nil
}

// shownURL is an endpoint URL as messages show it: without the password
// and with the query's values masked (an api_key or token often rides
// there).
func shownURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "the OpenLineage endpoint"
	}
	if _, ok := u.User.Password(); ok {
		u.User = url.UserPassword(u.User.Username(), "xxxxx")
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{"xxxxx"}
		}
		u.RawQuery = q.Encode()
	}
	return u.String()
}

func (c *Client) warnOnce(msg string) {
	c.mu.Lock()
	first := !c.warned
	c.warned = true
	c.mu.Unlock()
	if first {
		c.warn(msg)
	}
}

// Close sends what is queued, waiting at most until ctx is done, and
// reports events that were dropped or not sent.
func (c *Client) Close(ctx context.Context) {
	close(c.queue)
	select {
	case <-c.done:
	case <-ctx.Done():
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	left := len(c.queue)
	var lost []string
	if c.dropped > 0 {
		lost = append(lost, fmt.Sprintf("%d dropped (queue full)", c.dropped))
	}
	if left > 0 {
		lost = append(lost, fmt.Sprintf("%d not sent in time", left))
	}
	if len(lost) > 0 && !c.warned {
		c.warned = true
		c.warn("OpenLineage: " + strings.Join(lost, ", ") + " of the run's events")
	}
}

// Stats says how many events were sent, failed and dropped.
func (c *Client) Stats() (sent, failed, dropped int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.sent, c.failed, c.dropped
}
