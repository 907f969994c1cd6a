package io.kvstore.internal.memory;

import java.util.Comparator;

/**
 * Orders strings by Unicode code point, which is the order of their UTF-8 bytes: the order Redis
 * ({@code ZRANGEBYLEX}) and Cloudflare KV list in. {@link String#compareTo} compares UTF-16 units
 * and puts U+E000..U+FFFF after supplementary characters, which would make listing order differ
 * between stores.
 */
final class CodePointOrder implements Comparator<String> {
  static final CodePointOrder INSTANCE = new CodePointOrder();

  private CodePointOrder() {}

  @Override
  public int compare(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
