package io.tributary.generators.datasets;

import io.tributary.generators.DatasetGenerator;
import io.tributary.generators.EventModel;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Weather stations in twenty cities, polled in turn. Temperature follows a daily cycle in local
 * solar time around each city's mean; rain comes in spells that cool the air and raise humidity;
 * pressure and wind drift.
 */
public final class WeatherGenerator implements DatasetGenerator {

  private record City(
      String name, String country, double lat, double lon, double meanC, double swingC) {}

  private static final List<City> CITIES =
      List.of(
          new City("Madrid", "ES", 40.4168, -3.7038, 15, 7),
          new City("Bogota", "CO", 4.7110, -74.0721, 14, 5),
          new City("Mexico City", "MX", 19.4326, -99.1332, 17, 7),
          new City("Buenos Aires", "AR", -34.6037, -58.3816, 18, 6),
          new City("London", "GB", 51.5072, -0.1276, 11, 4),
          new City("Paris", "FR", 48.8566, 2.3522, 12, 5),
          new City("Berlin", "DE", 52.5200, 13.4050, 10, 5),
          new City("Oslo", "NO", 59.9139, 10.7522, 6, 4),
          new City("Cairo", "EG", 30.0444, 31.2357, 23, 8),
          new City("Nairobi", "KE", -1.2921, 36.8219, 19, 6),
          new City("Mumbai", "IN", 19.0760, 72.8777, 28, 4),
          new City("Singapore", "SG", 1.3521, 103.8198, 28, 3),
          new City("Tokyo", "JP", 35.6762, 139.6503, 16, 5),
          new City("Sydney", "AU", -33.8688, 151.2093, 18, 5),
          new City("Anchorage", "US", 61.2181, -149.9003, 2, 5),
          new City("Phoenix", "US", 33.4484, -112.0740, 24, 9),
          new City("New York", "US", 40.7128, -74.0060, 13, 6),
          new City("Toronto", "CA", 43.6532, -79.3832, 9, 6),
          new City("Reykjavik", "IS", 64.1466, -21.9426, 5, 3),
          new City("Lima", "PE", -12.0464, -77.0428, 19, 4));

  private static final int STATIONS_PER_CITY = 2;

  @Override
  public String dataset() {
    return "weather";
  }

  @Override
  public EventModel newModel(SplittableRandom random) {
    return new Model(random);
  }

  private static final class Station {
    final String id;
    final City city;
    final double lat;
    final double lon;
    boolean raining;
    double pressureHpa;
    double windMs;

    Station(String id, City city, double lat, double lon, double pressureHpa, double windMs) {
      this.id = id;
      this.city = city;
      this.lat = lat;
      this.lon = lon;
      this.pressureHpa = pressureHpa;
      this.windMs = windMs;
    }
  }

  private static final class Model implements EventModel {
    private final SplittableRandom random;
    private final List<Station> stations = new ArrayList<>();
    private int turn;

    Model(SplittableRandom random) {
      this.random = random;
      for (City city : CITIES) {
        for (int n = 1; n <= STATIONS_PER_CITY; n++) {
          String id =
              "ST-"
                  + city.country()
                  + "-"
                  + city.name().replace(" ", "").substring(0, 3).toUpperCase()
                  + "-"
                  + n;
          stations.add(
              new Station(
                  id,
                  city,
                  Values.round(city.lat() + (random.nextDouble() - 0.5) * 0.2, 4),
                  Values.round(city.lon() + (random.nextDouble() - 0.5) * 0.2, 4),
                  1005 + random.nextDouble() * 15,
                  random.nextDouble() * 6));
        }
      }
    }

    @Override
    public Map<String, Object> next(Instant eventTime) {
      Station station = stations.get(turn);
      turn = (turn + 1) % stations.size();

      // Rain spells: rare to start, a few percent chance to stop at each reading.
      station.raining = station.raining ? random.nextDouble() > 0.03 : random.nextDouble() < 0.004;
      station.pressureHpa =
          Values.clamp(
              station.pressureHpa
                  + Values.gaussian(random) * 0.3
                  - (station.raining ? 0.05 : -0.02),
              960,
              1045);
      station.windMs = Values.clamp(station.windMs + Values.gaussian(random) * 0.4, 0, 30);

      double localHours = (eventTime.getEpochSecond() / 3600.0 + station.lon / 15.0) % 24;
      double daily = Math.sin(2 * Math.PI * (localHours - 9) / 24);
      double temperature =
          station.city.meanC()
              + station.city.swingC() * daily
              - (station.raining ? 2.5 : 0)
              + Values.gaussian(random) * 0.4;
      double humidity =
          Values.clamp(
              60 - 15 * daily + (station.raining ? 30 : 0) + Values.gaussian(random) * 3, 5, 100);
      double precipitation = station.raining ? 0.1 + random.nextDouble() * 1.9 : 0.0;
      String conditions =
          station.raining
              ? (temperature < 0 ? "Snow" : "Rain")
              : humidity > 80 ? "Clouds" : "Clear";

      Map<String, Object> event = new LinkedHashMap<>(20);
      event.put("event_id", Values.uuid(random));
      event.put("station_id", station.id);
      event.put("city", station.city.name());
      event.put("country", station.city.country());
      event.put("lat", station.lat);
      event.put("lon", station.lon);
      event.put("event_time", eventTime);
      event.put("temperature_c", Values.round(Values.clamp(temperature, -90, 60), 1));
      event.put("humidity_pct", Values.round(humidity, 1));
      event.put("pressure_hpa", Values.round(station.pressureHpa, 1));
      event.put("wind_speed_ms", Values.round(station.windMs, 1));
      event.put("precipitation_mm", Values.round(precipitation, 2));
      event.put("conditions", conditions);
      return event;
    }
  }
}
