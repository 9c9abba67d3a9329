/**
 * The service-provider interface for endpoint URI schemes: implement {@link io.ringlink.spi.EndpointProvider} and
 * list it in {@code META-INF/services} to add a scheme to {@code RingLink.link} and the {@code ringlink} command.
 */
package io.ringlink.spi;
