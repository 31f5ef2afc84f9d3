/**
 * The weather dataset: readings per city and minute ({@link
 * io.tributary.pipelines.datasets.weather.ComputeCityWeather}), plugged in by {@link
 * io.tributary.pipelines.datasets.weather.WeatherGoldViews}.
 */
package io.tributary.pipelines.datasets.weather;
