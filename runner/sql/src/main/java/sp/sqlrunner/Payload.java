package sp.sqlrunner;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.Base64;
import java.util.zip.GZIPInputStream;

/**
 * A JSON document passed on the command line (base64 of its gzip, which keeps
 * a script within argument limits and free of quoting) or in a file (plain
 * or gzipped; large scripts and plans go this way). Gzip is recognised by its
 * magic bytes, so either form may be plain or compressed.
 */
final class Payload {
  private final String what;
  private final String base64;
  private final String path;

  private Payload(String what, String base64, String path) {
    this.what = what;
    this.base64 = base64;
    this.path = path;
  }

  static Payload inline(String what, String base64) {
    return new Payload(what, base64, null);
  }

  static Payload file(String what, String path) {
    return new Payload(what, null, path);
  }

  /** The document's text; throws RunnerException when it cannot be read or decoded. */
  String text() {
    byte[] bytes;
    if (path != null) {
      try {
        bytes = Files.readAllBytes(Paths.get(path));
      } catch (IOException e) {
        throw new RunnerException("cannot read " + what + " from " + path + ": " + RunnerException.describe(e), e);
      }
    } else {
      try {
        // `base64` without -w0 wraps lines; the whitespace is not part of the data.
        bytes = Base64.getDecoder().decode(base64.replaceAll("\\s+", ""));
      } catch (IllegalArgumentException e) {
        throw new RunnerException(what + " is not valid base64: " + e.getMessage(), e);
      }
    }
    if (isGzip(bytes)) {
      bytes = gunzip(bytes);
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes))
          .toString();
    } catch (CharacterCodingException e) {
      throw new RunnerException(what + " is not UTF-8 text", e);
    }
  }

  private static boolean isGzip(byte[] bytes) {
    return bytes.length >= 2 && (bytes[0] & 0xff) == 0x1f && (bytes[1] & 0xff) == 0x8b;
  }

  private byte[] gunzip(byte[] bytes) {
    try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(bytes))) {
      ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length * 4);
      byte[] buffer = new byte[8192];
      for (int n; (n = in.read(buffer)) > 0; ) {
        out.write(buffer, 0, n);
      }
      return out.toByteArray();
    } catch (IOException e) {
      throw new RunnerException(what + " is not valid gzip data: " + RunnerException.describe(e), e);
    }
  }
}
