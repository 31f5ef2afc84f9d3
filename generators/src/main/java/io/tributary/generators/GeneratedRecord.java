package io.tributary.generators;

/**
 * One Kafka record to send.
 *
 * @param key the entity id as UTF-8 (the contract's key field)
 * @param value the payload
 * @param kind how the summary counts it
 * @param late whether a valid event carries an event time behind the clock
 */
public record GeneratedRecord(byte[] key, byte[] value, RecordKind kind, boolean late) {}
