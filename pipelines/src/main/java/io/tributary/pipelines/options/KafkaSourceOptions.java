package io.tributary.pipelines.options;

import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.Validation;

/** Where events are read from. */
public interface KafkaSourceOptions extends PipelineOptions {

  @Description("Kafka bootstrap servers, HOST:PORT[,HOST:PORT...], e.g. 127.0.0.1:9092.")
  @Validation.Required
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description(
      "Topic to read. Default: the dataset name. With several datasets, a comma-separated list of topics in the"
          + " same order as --dataset.")
  String getTopic();

  void setTopic(String value);
}
