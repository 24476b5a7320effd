// buildctl triggers builds for the given packages on the CI service and waits
// for them to finish. One-shot CLI, run from a laptop or as a pipeline step:
//	buildctl -ref main ./services/api ./services/worker
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"golang.org/x/sync/errgroup"
)

var client = &http.Client{Timeout: 20 * time.Second}

var apiBase = strings.TrimRight(os.Getenv("CI_API_URL"), "/")

type build struct {
	ID     string `json:"id"`
	Status string `json:"status"` // queued | running | passed | failed
}

// results is only touched by this process; one entry per package on the command line.
var results = map[string]string{}

func callJSON(ctx context.Context, method, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+os.Getenv("CI_TOKEN"))
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s", method, u, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(out)
}

// waitForBuild polls with capped exponential backoff and full jitter, giving
// up after maxPolls attempts.
func waitForBuild(ctx context.Context, id string) (string, error) {
	const maxPolls = 40
	base, maxDelay := 2*time.Second, 60*time.Second
	for attempt := 0; attempt < maxPolls; attempt++ {
		var b build
		if err := callJSON(ctx, http.MethodGet, apiBase+"/builds/"+id, &b); err != nil {
			fmt.Fprintf(os.Stderr, "poll %s: %v (retrying)\n", id, err)
		} else if b.Status == "passed" || b.Status == "failed" {
			return b.Status, nil
		}
		delay := maxDelay
		if attempt < 6 {
			delay = min(base<<attempt, maxDelay)
		}
		select {
		case <-time.After(rand.N(delay) + time.Second):
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", fmt.Errorf("build %s did not finish after %d polls", id, maxPolls)
}

func main() {
	ref := flag.String("ref", "main", "git ref to build")
	asJSON := flag.Bool("json", false, "print a JSON summary")
	flag.Parse()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Minute)
	defer cancel()

	ids := make([]string, flag.NArg())
	for i, pkg := range flag.Args() {
		var b build
		endpoint := fmt.Sprintf("%s/builds?pkg=%s&ref=%s", apiBase, url.QueryEscape(pkg), url.QueryEscape(*ref))
		if err := callJSON(ctx, http.MethodPost, endpoint, &b); err != nil {
			fmt.Fprintf(os.Stderr, "trigger %s: %v\n", pkg, err)
			os.Exit(1)
		}
		ids[i] = b.ID
	}
	statuses := make([]string, len(ids))
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(4)
	for i, id := range ids {
		g.Go(func() error {
			st, err := waitForBuild(gctx, id)
			statuses[i] = st
			return err
		})
	}
	if err := g.Wait(); err != nil {
		fmt.Fprintln(os.Stderr, "buildctl:", err)
		os.Exit(1)
	}
	failed := false
	for i, pkg := range flag.Args() {
		results[pkg] = statuses[i]
		failed = failed || statuses[i] == "failed"
		if !*asJSON {
			fmt.Printf("%-40s %s\n", pkg, statuses[i])
		}
	}
	if *asJSON {
		json.NewEncoder(os.Stdout).Encode(results)
	}
	if failed {
		os.Exit(2)
	}
}
