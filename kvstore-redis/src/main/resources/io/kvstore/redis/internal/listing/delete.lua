local prefix, removed, members = ARGV[1], 0, {}
for i = 2, #KEYS do
  removed = removed + redis.call('DEL', KEYS[i])
  members[#members + 1] = string.sub(KEYS[i], #prefix + 1)
end
each('ZREM', KEYS[1], members)
fence(prefix, members)
return removed
