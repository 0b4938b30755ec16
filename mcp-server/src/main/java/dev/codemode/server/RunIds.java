package dev.codemode.server;

import java.security.SecureRandom;
import java.util.UUID;

/** Time-ordered run ids (UUID version 7): sortable by start time, unguessable in their random part. */
public final class RunIds {
  private static final SecureRandom RANDOM = new SecureRandom();

  private RunIds() {}

  /** A new UUIDv7 string. */
  public static String next() {
    long millis = System.currentTimeMillis();
    long randA = RANDOM.nextInt(1 << 12);
    long msb = (millis << 16) | 0x7000L | randA;
    long lsb = (RANDOM.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new UUID(msb, lsb).toString();
  }
}
