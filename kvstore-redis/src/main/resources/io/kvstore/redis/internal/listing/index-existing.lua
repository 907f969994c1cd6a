local prefix, indexed = ARGV[1], 0
for i = 2, #KEYS do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    redis.call('ZADD', KEYS[1], 0, string.sub(KEYS[i], #prefix + 1))
    indexed = indexed + 1
  end
end
return indexed
