package io.tributary.kafka.local;

import java.nio.file.Path;

/**
 * A test program that starts a broker, prints the broker's pid and then waits forever: the test
 * kills it with SIGKILL to check that its broker does not outlive it.
 */
public final class BrokerOwner {
  private BrokerOwner() {}

  public static void main(String[] args) throws InterruptedException {
    LocalKafka kafka = LocalKafka.start(Path.of(args[0]));
    System.out.println("broker pid " + kafka.process().pid());
    System.out.flush();
    Thread.currentThread().join();
  }
}
