local prefix = ARGV[1]
local tag, moved = string.sub(prefix, 1, -2), {}
for i = 2, #KEYS do
  local value, ttl = ARGV[2 * i - 2], tonumber(ARGV[2 * i - 1])
  local name = string.sub(KEYS[i], #prefix + 1)
  if redis.call('EXISTS', KEYS[i]) == 0
      and redis.call('EXISTS', tag .. '/fence:' .. name) == 0 then
    if ttl > 0 then redis.call('SET', KEYS[i], value, 'PX', ttl)
    else redis.call('SET', KEYS[i], value) end
    redis.call('ZADD', KEYS[1], 0, name)
    moved[#moved + 1] = 1
  else
    moved[#moved + 1] = 0
  end
end
return moved
