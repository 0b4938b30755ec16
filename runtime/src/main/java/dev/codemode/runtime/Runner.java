package dev.codemode.runtime;

import java.util.Collection;

/** Runs agent code: in this JVM ({@link SandboxRunner}) or in jailed worker JVMs (the {@code worker} package). */
public interface Runner extends AutoCloseable {

  /**
   * Runs {@code request} to completion and returns its result; never throws for anything the agent's
   * code does.
   *
   * @throws RunRejectedException when every run slot is busy and the queue is full
   */
  RunResult run(RunRequest request);

  /** Cancels a running run by id; returns whether one was found. */
  boolean cancel(String runId);

  /** The ids of the runs executing now. */
  Collection<String> activeRunIds();

  /** One line for the start-up log: which isolation and which jail are in use. */
  String describe();

  /** Whether runs start now on warm capacity (a worker pool that has filled and still holds a worker). */
  boolean warm();

  /** Which walls are up around runs (the worker process, the jail): for the start-up log, readiness and metrics. */
  Walls walls();

  @Override
  void close();
}
