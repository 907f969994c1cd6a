/** Implementation of the Redis adapter on Lettuce. Not exported. */
package io.kvstore.redis.internal;
