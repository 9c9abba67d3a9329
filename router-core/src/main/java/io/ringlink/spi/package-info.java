/**
 * The service-provider interface for endpoint URI schemes: implement {@link io.ringlink.spi.EndpointProvider} and
 * list it in {@code META-INF/services} to add a scheme to {@code RingLink.link} and the {@code ringlink} command;
 * {@link io.ringlink.spi.CountersProvider} publishes a router's live counters for {@code counters(true)}.
 */
package io.ringlink.spi;
