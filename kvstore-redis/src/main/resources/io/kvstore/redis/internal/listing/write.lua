local index, prefix = KEYS[1], ARGV[1]
local applied, members, names = {}, {}, {}
for i = 3, #KEYS do
  local a = 3 + (i - 3) * 4
  local set = {'SET', KEYS[i], ARGV[a]}
  local mode = ARGV[a + 1]
  if mode == 'P' then set[4] = 'PX'; set[5] = ARGV[a + 2]
  elseif mode == 'A' then set[4] = 'PXAT'; set[5] = ARGV[a + 2]
  elseif mode == 'K' then set[4] = 'KEEPTTL' end
  if ARGV[a + 3] == '1' then set[#set + 1] = 'NX' end
  applied[#applied + 1] = redis.call(unpack(set)) and 1 or 0
  names[#names + 1] = string.sub(KEYS[i], #prefix + 1)
  members[#members + 1] = 0
  members[#members + 1] = names[#names]
end
each('ZADD', index, members)
fence(prefix, names)
sweep(index, KEYS[2], prefix, tonumber(ARGV[2]))
return applied
