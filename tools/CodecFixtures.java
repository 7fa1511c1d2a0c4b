// Writes a plain file through the Java codec streams Spark itself uses, so the
// C++ decoders are tested against the real framings rather than our reading
// of them. Usage: java CodecFixtures <plain-file> <output-dir>
//
// Settings follow Spark's CompressionCodec defaults (spark.io.compression.*),
// except the LZ4 block size, which is small so that a fixture holds many blocks.

import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;
import com.ning.compress.lzf.LZFOutputStream;
import java.io.BufferedOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import net.jpountz.lz4.LZ4BlockOutputStream;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;
import org.xerial.snappy.SnappyOutputStream;

public final class CodecFixtures {
  private static final int LZ4_BLOCK_SIZE = 32 * 1024;
  private static final int SNAPPY_BLOCK_SIZE = 32 * 1024;
  private static final int ZSTD_LEVEL = 1;
  private static final int ZSTD_BUFFER_SIZE = 32 * 1024;
  // The seed Spark's LZ4CompressionCodec passes to the block checksum.
  private static final int LZ4_CHECKSUM_SEED = 0x9747b28c;

  private interface StreamFactory {
    OutputStream wrap(OutputStream out) throws IOException;
  }

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CodecFixtures <plain-file> <output-dir>");
      System.exit(2);
    }
    Path input = Paths.get(args[0]);
    Path outDir = Paths.get(args[1]);
    byte[] plain = Files.readAllBytes(input);
    String base = input.getFileName().toString();

    write(plain, outDir.resolve(base + ".lz4"), out -> new LZ4BlockOutputStream(
        out, LZ4_BLOCK_SIZE, LZ4Factory.fastestInstance().fastCompressor(),
        XXHashFactory.fastestInstance().newStreamingHash32(LZ4_CHECKSUM_SEED)
            .asChecksum(),
        false));
    write(plain, outDir.resolve(base + ".lzf"), LZFOutputStream::new);
    write(plain, outDir.resolve(base + ".snappy"),
        out -> new SnappyOutputStream(out, SNAPPY_BLOCK_SIZE));
    write(plain, outDir.resolve(base + ".zstd"),
        out -> new ZstdOutputStreamNoFinalizer(
            new BufferedOutputStream(out, ZSTD_BUFFER_SIZE), ZSTD_LEVEL));
  }

  // Writes `plain` in uneven pieces, as a listener writing events would.
  private static void write(byte[] plain, Path target, StreamFactory factory)
      throws IOException {
    try (OutputStream out = factory.wrap(new FileOutputStream(target.toFile()))) {
      int offset = 0;
      int piece = 1;
      while (offset < plain.length) {
        int n = Math.min(piece, plain.length - offset);
        out.write(plain, offset, n);
        offset += n;
        piece = piece * 3 % 10007 + 1;
      }
    }
    System.out.println("wrote " + target + " (" + Files.size(target) + " bytes)");
  }
}
