/** `sluice bench --help`. */
export const benchUsage = `Usage: sluice bench --target URL [options]

Load-tests a streaming endpoint and checks what it streams: latency (TTFT, ITL, TPOT, E2E),
throughput, errors by type, goodput under an SLO, the text of every answer (nothing lost,
nothing repeated), resumes after cut connections, cancellations reaching the upstream, and the
gateway's memory and CPU.

Target
  --target URL            the endpoint: Sluice's POST /api/chat/stream (native), its
                          POST /api/ui/chat (ui: the AI SDK's UI message stream), an
                          OpenAI-compatible …/chat/completions, or any URL (plain GET)
  --format F              native | openai | plain | ui (default: from the URL's path)
  --model M               default openai/mock (native), mock (openai); a model named mock…
                          gets the stream knobs after "?" and its text is checked
  --label L               the target's name in tables and charts
  --pid N                 sample this process's RSS and CPU from /proc (the gateway)
  --settle T              after the load, wait T and read the --pid process's RSS again
                          (with a short STREAM_TTL_MS: is ended streams' memory given back?)
  --header "K: V"         add a request header (repeatable), e.g. authorization
  --compare URL           a second target, run in alternation with the first (ABBA order)
  --compare-format F, --compare-model M, --compare-label L, --compare-pid N
  --rounds N              rounds of alternation with --compare (default 3)
  --mock-url URL          the mock's origin: cancellation check at /__stats, quiet between runs

Load (closed loop unless --rate)
  --scenario FILE         read these options from a scenario JSON file; flags override it
  --concurrency N         closed loop: N clients, each sending when its last request ends (default 10)
  --rate R                open loop: Poisson arrivals at R requests/s
  --requests N            measured requests (default 100 unless --duration)
  --duration T            measured time, e.g. 30s
  --warmup N|T            warm-up requests (N) or time (e.g. 2s), left out of the figures
  --timeout T             per-request limit (default 60s)
  --seed N                seeds arrivals and the mock's texts (default 1)

Stream (mock knobs)
  --tokens N              tokens per answer (default 100)
  --ttft T                time to the first token (default 20ms)
  --gap T                 time between tokens (default 5ms)
  --knobs K               more mock knobs, e.g. "jitter=0.2"
  --prompt TEXT           the user message

Faults
  --cut-every N           cut every Nth connection through a built-in proxy; native streams resume
  --cut-after BYTES       response bytes before the cut (default 2048)
  --abort F               fraction of clients that abort mid-stream (0–1)
  --abort-after N         tokens before they abort (default 5)
  --abort-with W          disconnect | delete (DELETE /api/streams/{id}) (default disconnect)
  --cancel-wait T         how long aborts may take to reach the mock (default 15s)
  --slow F                fraction of clients that read slowly
  --slow-delay T          their pause after each read (default 50ms)

Output
  --slo LIST              goodput bounds, e.g. ttft:200ms,itl:50ms (metrics: ttft itl tpot e2e gap)
  --json                  print the full report as JSON instead of the table
  --html FILE             write a self-contained HTML report with charts
  --outcomes FILE         write every request's measurements (TTFT, each gap, E2E, tokens,
                          bytes, terminal event, error type, text check), one JSON a line
  --max-error-rate F      fail (exit 1) when more than this fraction of requests fail,
                          e.g. 0.01 or 1% (default 0: any failed request fails the run)
  --quiet                 no progress line
  --help                  show this text

Suite (npm run bench)
  --suite DIR             run every scenario in DIR against the mock directly and through a
                          gateway started per scenario (pinned to one CPU); needs no --target
  --results DIR           where each scenario's JSON and HTML report go (default bench/results)
  --write FILE            write the Markdown results page (e.g. docs/benchmarks.md)
  --only A,B              run only the scenarios with these names
  --rounds N              override every scenario's rounds (a quick look)
  --cli FILE              the CLI entry that serves the gateway and the mock
                          (default packages/cli/src/main.ts)

The exit code is 1 when any checked text was lost, repeated or garbled, or when the error rate
is above --max-error-rate; 2 for bad arguments.`;
