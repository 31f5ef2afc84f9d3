package io.tributary.generators;

import io.tributary.contracts.Contract;
import io.tributary.contracts.Field;
import io.tributary.contracts.FieldType;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns valid events into bad ones, driven only by the contract, so every dataset gets the same
 * kinds of faults: malformed payloads (not JSON, truncated, not UTF-8) and invalid events (a
 * required field missing, a wrong type, a value outside its range).
 */
final class Faults {
  private final Contract contract;
  private final SplittableRandom random;
  private final List<Field> requiredFields = new ArrayList<>();
  private final List<Field> boundedFields = new ArrayList<>();

  Faults(Contract contract, SplittableRandom random) {
    this.contract = contract;
    this.random = random;
    for (Field field : contract.fields()) {
      if (field.required()) {
        requiredFields.add(field);
      }
      if (field.isBounded()) {
        boundedFields.add(field);
      }
    }
  }

  /** A payload that cannot be parsed. {@code json} is the valid event's serialized form. */
  byte[] malformed(Map<String, Object> event, byte[] json) {
    switch (random.nextInt(3)) {
      case 0 -> {
        // A plain-text line such as a misconfigured producer would send.
        StringBuilder text = new StringBuilder();
        event.forEach((name, value) -> text.append(name).append('=').append(value).append(';'));
        return text.toString().getBytes(StandardCharsets.UTF_8);
      }
      case 1 -> {
        // Cut anywhere before the closing brace: never a complete JSON object.
        return Arrays.copyOf(json, 1 + random.nextInt(json.length - 2));
      }
      default -> {
        // An invalid two-byte UTF-8 sequence inside the event_id string, a field every parser
        // decodes.
        byte[] bytes = json.clone();
        int at = indexOf(bytes, "\"event_id\":\"".getBytes(StandardCharsets.UTF_8));
        int valueStart = at + "\"event_id\":\"".length();
        bytes[valueStart] = (byte) 0xC3;
        bytes[valueStart + 1] = (byte) 0x28;
        return bytes;
      }
    }
  }

  /** A copy of the event that breaks exactly one contract rule. */
  Map<String, Object> invalid(Map<String, Object> event) {
    Map<String, Object> broken = new LinkedHashMap<>(event);
    switch (random.nextInt(3)) {
      case 0 -> broken.remove(pick(requiredFields).name());
      case 1 -> {
        Field field = pick(contract.fields());
        broken.put(field.name(), field.type() == FieldType.STRING ? (Object) 42 : "n/a");
      }
      default -> {
        Field field = pick(boundedFields);
        broken.put(field.name(), outOfRange(field));
      }
    }
    return broken;
  }

  private Object outOfRange(Field field) {
    double offset = 1 + random.nextInt(100);
    double value;
    if (field.maximum().isPresent() && (random.nextBoolean() || !hasLowerBound(field))) {
      value = field.maximum().get() + offset;
    } else if (field.minimum().isPresent()) {
      value = field.minimum().get() - offset;
    } else {
      value = field.exclusiveMinimum().get() - offset + 1;
    }
    return switch (field.type()) {
      case INT -> (int) value;
      case LONG -> (long) value;
      case DECIMAL -> BigDecimal.valueOf(value).setScale(field.scale(), RoundingMode.HALF_UP);
      default -> value;
    };
  }

  private static boolean hasLowerBound(Field field) {
    return field.minimum().isPresent() || field.exclusiveMinimum().isPresent();
  }

  private <T> T pick(List<T> items) {
    return items.get(random.nextInt(items.size()));
  }

  private static int indexOf(byte[] haystack, byte[] needle) {
    outer:
    for (int i = 0; i <= haystack.length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    throw new IllegalStateException("event has no event_id to corrupt");
  }
}
