local value = redis.call('GET', KEYS[1])
if value and redis.sha1hex(value) == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'KEEPTTL')
  return 1
end
return 0
