-- wrk script for bench/serve.py: each request is a random line of PATHS_FILE ("path" or
-- "path<TAB>etag"; with an etag the request revalidates with If-None-Match). done() prints one
-- JSON line of figures for serve.py to read; latencies are in microseconds.
local paths, etags = {}, {}

function init(args)
  local file = assert(io.open(os.getenv("PATHS_FILE"), "r"))
  for line in file:lines() do
    local path, etag = line:match("^([^\t]+)\t?(.*)$")
    paths[#paths + 1] = path
    etags[#etags + 1] = etag
  end
  file:close()
  math.randomseed(os.time() + (tonumber(tostring({}):match("0x(%x+)"), 16) or 0))
end

function request()
  local i = math.random(#paths)
  local headers = {}
  if etags[i] ~= "" then headers["If-None-Match"] = etags[i] end
  return wrk.format("GET", paths[i], headers)
end

function done(summary, latency, requests)
  io.write(string.format(
    '{"requests": %d, "seconds": %.3f, "errors": %d, "non2xx3xx": %d, "p50_us": %d, "p99_us": %d}\n',
    summary.requests, summary.duration / 1e6,
    summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout,
    summary.errors.status, latency:percentile(50), latency:percentile(99)))
end
