package io.tributary.kafka.local;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class OutputTailTest {

  @Test
  void keepsOnlyTheLastLines() {
    OutputTail tail = new OutputTail(2);

    tail.add("one");
    tail.add("two");
    tail.add("three");

    assertThat(tail.toString()).isEqualTo("two" + System.lineSeparator() + "three");
  }

  @Test
  void saysSoWhenThereWasNoOutput() {
    assertThat(new OutputTail(2)).hasToString("(no output)");
  }
}
