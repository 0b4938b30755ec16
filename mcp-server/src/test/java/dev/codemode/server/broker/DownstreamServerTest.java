package dev.codemode.server.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

class DownstreamServerTest {
  @Test
  void backoffStartsImmediatelyThenDoublesUpToThirtySeconds() {
    assertEquals(List.of(0L, 0L, 500L, 1000L, 2000L, 4000L), List.of(DownstreamServer.backoffMs(0),
        DownstreamServer.backoffMs(1), DownstreamServer.backoffMs(2), DownstreamServer.backoffMs(3),
        DownstreamServer.backoffMs(4), DownstreamServer.backoffMs(5)));
    assertEquals(30_000L, DownstreamServer.backoffMs(10));
    assertEquals(30_000L, DownstreamServer.backoffMs(1000));
  }

  @Test
  void redactorHidesResolvedSecretsLongestFirst() {
    Redactor r = new Redactor(List.of("abcd", "abcdefgh", "x"));
    assertEquals("token=*** short=x other=***", r.apply("token=abcdefgh short=x other=abcd"));
  }
}
