-- wrk script: HTTP/1.1 pipelining, TechEmpower style. Each write carries DEPTH requests (default 16):
--   wrk -s pipeline.lua URL -- 16
-- wrk still parses every response, so Requests/sec counts responses; latency is per batch of DEPTH.
init = function(args)
  local depth = tonumber(args[1]) or 16
  local r = {}
  for i = 1, depth do
    r[i] = wrk.format()
  end
  req = table.concat(r)
end

request = function()
  return req
end
