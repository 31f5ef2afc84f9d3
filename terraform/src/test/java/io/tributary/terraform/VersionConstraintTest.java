package io.tributary.terraform;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VersionConstraintTest {
  @Test
  void pessimisticConstraintLetsOnlyTheRightMostComponentGrow() {
    VersionConstraint minor = VersionConstraint.parse("~> 4.42");
    assertThat(minor.admits("4.42.0")).isTrue();
    assertThat(minor.admits("4.81.0")).isTrue();
    assertThat(minor.admits("4.41.9")).isFalse();
    assertThat(minor.admits("5.0.0")).isFalse();

    VersionConstraint patch = VersionConstraint.parse("~> 4.42.1");
    assertThat(patch.admits("4.42.9")).isTrue();
    assertThat(patch.admits("4.43.0")).isFalse();

    assertThat(VersionConstraint.parse("~> 4").admits("5.2.0")).isTrue();
  }

  @Test
  void partsSeparatedByCommasMustAllHold() {
    VersionConstraint range = VersionConstraint.parse(">= 4.12, < 5.0, != 4.50.0");
    assertThat(range.admits("4.12.0")).isTrue();
    assertThat(range.admits("4.50.0")).isFalse();
    assertThat(range.admits("4.99.1")).isTrue();
    assertThat(range.admits("5.0.0")).isFalse();
    assertThat(VersionConstraint.parse("4.81.0").admits("4.81.0")).isTrue();
    assertThat(VersionConstraint.parse("= 4.81.0").admits("4.81.1")).isFalse();
    assertThat(VersionConstraint.parse(">= 4.0").admits("5.0.0")).isTrue();
  }

  @Test
  void somethingElseIsRefusedWithTheOffendingPart() {
    assertThatThrownBy(() -> VersionConstraint.parse(">= 4.0, latest"))
        .hasMessage("'latest' is not a version constraint");
  }
}
