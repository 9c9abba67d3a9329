package io.ringlink.jmh;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link SharedQueueThroughputBenchmark} counts a batch only once consumers in another JVM have taken every element
 * and marked it done, the consumer JVM runs with the JVM flags Agrona needs, and the tear-down leaves no file and no
 * child behind.
 */
@Timeout(120)
class SharedQueueThroughputTest
{
    @Test
    void shouldDeliverEveryBatchToTheConsumerJvmAndCleanUp() throws IOException, InterruptedException
    {
        final SharedQueueThroughputBenchmark.QueuePath path = new SharedQueueThroughputBenchmark.QueuePath();
        path.consumers = 2;
        path.setUp();
        final Path file = path.queue.path();
        final long children = ProcessHandle.current().children().count();
        try
        {
            assertThat(children).isPositive();
            // the child could not open the queue without it (IllegalAccessError in org.agrona.UnsafeApi)
            assertThat(EchoProcess.javaCommand(SharedQueueConsumers.class))
                .as("the consumer JVM gets Agrona's flags from this one")
                .contains("--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED");
            assertThat(new SharedQueueThroughputBenchmark().sharedQueue(path)).isEqualTo(Harness.BATCH);
            assertThat(path.queue.size()).isZero();
            assertThat(path.queue.unfinishedCount()).isZero();

            assertThat(new SharedQueueThroughputBenchmark().sharedQueue(path)).isEqualTo(2L * Harness.BATCH);
            assertThat(path.queue.size()).isZero();
            assertThat(path.received()).isEqualTo(2L * Harness.BATCH);
        }
        finally
        {
            path.tearDown();
        }
        assertThat(file.getParent()).doesNotExist();
        assertThat(ProcessHandle.current().children().count()).isEqualTo(children - 1);
    }
}
