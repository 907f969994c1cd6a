/** The codec alone: kvstore's default JSON decode against a plain Jackson mapper. */
package io.kvstore.bench.codec;
