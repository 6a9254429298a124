-- wrk script of the first-seen workload: every request carries the next token of a file
-- (one token a line), cycling through all of them.
--
--   wrk -t1 ... -s first_seen.lua <url> -- <tokens file> [<position file>]
--
-- With one wrk thread the cycle is shared by all connections, so a token comes back only
-- after every other token of the file has been sent once. The position file, when given,
-- carries the cycle over from one wrk run to the next on the same route: across warm-up
-- and rounds a route sees one unbroken cycle, and a cache smaller than the file never
-- holds the token that comes next.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  reqs = {}
  for line in io.lines(args[1]) do
    if #line > 0 then
      reqs[#reqs + 1] = wrk.format(nil, nil, { Authorization = "Bearer " .. line })
    end
  end
  if #reqs == 0 then
    error("no tokens in " .. tostring(args[1]))
  end
  position_file = args[2]
  i = 0
  if position_file then
    local f = io.open(position_file, "r")
    if f then
      i = tonumber(f:read("*l")) or 0
      f:close()
    end
  end
end

function request()
  i = i % #reqs + 1
  return reqs[i]
end

function done(summary, latency, requests)
  for _, thread in ipairs(threads) do
    local path = thread:get("position_file")
    if path then
      local f = assert(io.open(path, "w"))
      f:write(tostring(thread:get("i")), "\n")
      f:close()
    end
  end
end
