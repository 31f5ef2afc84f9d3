package io.tributary.generators.datasets;

import io.tributary.generators.DatasetGenerator;
import io.tributary.generators.EventModel;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Card transactions of a million accounts: everyday spending with per-category amounts, plus the
 * patterns a fraud rule should catch: now and then a very large amount, and bursts of many small
 * online payments on one account.
 *
 * <p>The accounts are many, as a bank's are, so that even at thousands of transactions a second an
 * account makes a few a minute at most, and the burst rule flags the bursts this model makes, not
 * ordinary spending (with 2,000 accounts, 2,500 transactions a second made every account a burst).
 */
public final class TransactionsGenerator implements DatasetGenerator {
  static final int ACCOUNTS = 1_000_000;

  /** Share of transactions with a very large amount (5,000 to 50,000). */
  static final double LARGE_AMOUNT_RATIO = 0.003;

  /** Chance that a transaction starts a burst of 6 to 12 more on the same account. */
  static final double BURST_RATIO = 0.002;

  private record Category(String name, double medianAmount, List<String> merchants) {}

  private record Home(String country, String currency) {}

  private static final List<Category> CATEGORIES =
      List.of(
          new Category("grocery", 35, List.of("FreshMart", "GreenGrocer", "DailyFoods")),
          new Category("restaurants", 28, List.of("La Tasca", "Burger Hub", "Sushi Go")),
          new Category("fuel", 55, List.of("FuelOne", "RoadStop")),
          new Category("travel", 320, List.of("SkyJet", "RailWay", "HotelStay")),
          new Category("electronics", 180, List.of("TechWorld", "GadgetPro")),
          new Category("entertainment", 22, List.of("CineMax", "StreamIt", "GameZone")),
          new Category("health", 40, List.of("CarePharma", "HealthPlus")),
          new Category("utilities", 75, List.of("PowerCo", "AquaNet", "TelcoOne")),
          new Category("cash", 100, List.of("ATM Network")));

  private static final List<Home> HOMES =
      List.of(
          new Home("ES", "EUR"),
          new Home("FR", "EUR"),
          new Home("US", "USD"),
          new Home("GB", "GBP"),
          new Home("MX", "MXN"));

  @Override
  public String dataset() {
    return "transactions";
  }

  @Override
  public EventModel newModel(SplittableRandom random) {
    return new Model(random);
  }

  private static final class Model implements EventModel {
    private final SplittableRandom random;
    private int burstAccount = -1;
    private int burstLeft;

    Model(SplittableRandom random) {
      this.random = random;
    }

    /** An account's home country and currency: fixed per account, spread over the homes. */
    private static Home home(int account) {
      int mixed = account * 0x9E3779B9;
      return HOMES.get(Math.floorMod(mixed ^ (mixed >>> 16), HOMES.size()));
    }

    @Override
    public Map<String, Object> next(Instant eventTime) {
      int account;
      Category category;
      String channel;
      double amount;
      if (burstLeft > 0) {
        // Card-testing pattern: many small online payments in quick succession.
        burstLeft--;
        account = burstAccount;
        category = CATEGORIES.get(5);
        channel = "online";
        amount = 1 + random.nextDouble() * 9;
      } else {
        account = random.nextInt(ACCOUNTS);
        category = Values.pick(random, CATEGORIES);
        if ("cash".equals(category.name())) {
          channel = "atm";
        } else {
          channel = random.nextDouble() < 0.35 ? "online" : "pos";
        }
        amount = category.medianAmount() * Math.exp(Values.gaussian(random) * 0.6);
        if (random.nextDouble() < LARGE_AMOUNT_RATIO) {
          amount = 5_000 + random.nextDouble() * 45_000;
        }
        if (random.nextDouble() < BURST_RATIO) {
          burstAccount = account;
          burstLeft = 6 + random.nextInt(7);
        }
      }
      Home home = home(account);
      // A few card-present purchases abroad, as travellers make.
      String country =
          random.nextDouble() < 0.03 ? Values.pick(random, HOMES).country() : home.country();

      Map<String, Object> event = new LinkedHashMap<>(16);
      event.put("event_id", Values.uuid(random));
      event.put("transaction_id", "TX-" + Values.hex(random, 16));
      event.put("account_id", String.format("AC-%06d", account + 1));
      event.put("event_time", eventTime);
      event.put(
          "amount", BigDecimal.valueOf(Math.max(0.01, amount)).setScale(2, RoundingMode.HALF_UP));
      event.put("currency", home.currency());
      event.put("merchant", Values.pick(random, category.merchants()));
      event.put("merchant_category", category.name());
      event.put("channel", channel);
      event.put("country", country);
      event.put("card_present", !"online".equals(channel));
      return event;
    }
  }
}
