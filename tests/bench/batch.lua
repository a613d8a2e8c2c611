-- wrk script for tests/bench/batch-ingest.sh: posts one 1,000-event usage batch per request,
-- rotating over the API keys listed in $BATCH_KEYS_FILE.
local keys = {}
for line in io.lines(os.getenv("BATCH_KEYS_FILE")) do keys[#keys + 1] = line end
local file = io.open(os.getenv("BATCH_BODY_FILE"), "r")
local body = file:read("*a")
file:close()
local sent = 0

request = function()
  sent = sent + 1
  local headers = { ["Content-Type"] = "application/json", ["X-API-Key"] = keys[(sent % #keys) + 1] }
  return wrk.format("POST", "/api/v1/usage/batch", headers, body)
end
