/**
 * Optional Micrometer support: {@link io.ringlink.micrometer.RouterMeterBinder} binds a router's counters to any
 * {@code MeterRegistry} (Prometheus, JMX, StatsD, ...).
 */
package io.ringlink.micrometer;
