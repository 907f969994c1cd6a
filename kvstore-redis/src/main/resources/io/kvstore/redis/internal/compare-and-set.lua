local current = redis.call('GET', KEYS[1])
local expected = ARGV[1]
if expected == '' then
  if current then return 1 end
elseif not current then
  return 2
elseif redis.sha1hex(current) ~= expected then
  return 1
end
local mode, index, member = ARGV[3], KEYS[2], ARGV[5]
if mode == 'D' then
  redis.call('DEL', KEYS[1])
  if index then redis.call('ZREM', index, member) end
else
  local set = {'SET', KEYS[1], ARGV[2]}
  if mode == 'P' then set[4] = 'PX'; set[5] = ARGV[4]
  elseif mode == 'A' then set[4] = 'PXAT'; set[5] = ARGV[4]
  elseif mode == 'K' then set[4] = 'KEEPTTL' end
  redis.call(unpack(set))
  if index then redis.call('ZADD', index, 0, member) end
end
if index then fence(ARGV[6], {member}) end
return 0
