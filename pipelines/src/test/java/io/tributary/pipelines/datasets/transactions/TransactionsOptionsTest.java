package io.tributary.pipelines.datasets.transactions;

import static io.tributary.pipelines.datasets.transactions.TransactionEvents.SILVER;
import static io.tributary.pipelines.datasets.transactions.TransactionEvents.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tributary.pipelines.gold.GoldSettings;
import io.tributary.pipelines.gold.GoldViews;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.RowCoder;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.Row;
import org.junit.jupiter.api.Test;

/**
 * The alert rules are the transactions dataset's own flags: registered with Beam, so a run's
 * arguments carry them, checked before a pipeline is built, and read by the views.
 */
class TransactionsOptionsTest {
  private final GoldViews views = GoldViews.registered().get(TransactionsGoldViews.DATASET);

  private static PipelineOptions parse(String... args) {
    return PipelineOptionsFactory.fromArgs(args).withValidation().create();
  }

  @Test
  void defaultsAreTheDocumentedRules() {
    TransactionsOptions options = parse().as(TransactionsOptions.class);

    assertThat(options.getLargeAmountThreshold()).isEqualTo("5000.00");
    assertThat(options.getBurstTransactions()).isEqualTo(5);
  }

  @Test
  void flagsFromTheArgumentsAreTheRulesOfTheAlerts() {
    Pipeline pipeline =
        Pipeline.create(parse("--largeAmountThreshold=100.00", "--burstTransactions=1"));
    PCollection<Row> silver =
        pipeline.apply(
            Create.timestamped(
                    event("T1", "AC-1", "grocery", "EUR", 5, "150.00"),
                    event("T2", "AC-1", "grocery", "EUR", 6, "20.00"),
                    event("T3", "AC-2", "grocery", "EUR", 7, "100.00")) // equal is not above
                .withCoder(RowCoder.of(SILVER)));

    PAssert.that(views.expand(silver, GoldSettings.DEFAULTS).get(FlagSuspiciousTransactions.VIEW))
        .satisfies(
            alerts -> {
              Set<String> flagged =
                  StreamSupport.stream(alerts.spliterator(), false)
                      .map(
                          alert ->
                              alert.getString("transaction_id") + " " + alert.getString("rule"))
                      .collect(Collectors.toSet());
              assertThat(flagged)
                  .containsExactlyInAnyOrder("T1 large_amount", "T1 burst", "T2 burst");
              return null;
            });
    pipeline.run().waitUntilFinish();
  }

  @Test
  void goodValuesPass() {
    views.validate(parse("--largeAmountThreshold=0.01", "--burstTransactions=1"));
  }

  @Test
  void aThresholdThatIsNotAPositiveAmountIsReportedNamingTheFlag() {
    assertThatThrownBy(() -> views.validate(parse("--largeAmountThreshold=lots")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad value for --largeAmountThreshold: 'lots' is not a positive amount");
    assertThatThrownBy(() -> views.validate(parse("--largeAmountThreshold=0")))
        .hasMessage("bad value for --largeAmountThreshold: '0' is not a positive amount");
  }

  @Test
  void aBurstLimitBelowOneIsReportedNamingTheFlag() {
    assertThatThrownBy(() -> views.validate(parse("--burstTransactions=0")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("bad value for --burstTransactions: 0 is below the minimum 1");
  }
}
