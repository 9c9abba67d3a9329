package io.ringlink.link;

import io.ringlink.Sink;
import io.ringlink.internal.Endpoints;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@code PrintStream} destination (such as {@code System.out}) swallows its write errors; the sink reports them.
 */
class PrintStreamErrorTest
{
    @Test
    void shouldReportAFailedWriteThatAPrintStreamSwallowed() throws Exception
    {
        final OutputStream closedPipe = new OutputStream()
        {
            @Override
            public void write(final int b) throws IOException
            {
                throw new IOException("Broken pipe");
            }
        };
        final Sink<Object> sink = Endpoints.sink(new PrintStream(closedPipe, false));
        sink.onMessage("lost");
        assertThatThrownBy(sink::onEndOfBatch).isInstanceOf(IOException.class).hasMessageContaining("failed");
        sink.close();
    }
}
