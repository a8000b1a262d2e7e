package sp.sqlrunner;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON parser (RFC 8259) for the runner's input. Objects become
 * {@code Map<String, Object>} (insertion order kept), arrays
 * {@code List<Object>}, strings {@code String}, integers {@code Long} (other
 * numbers {@code Double}), true/false {@code Boolean}, null {@code null}.
 * Hand-written because no JSON library is reliably on a user jar's class path
 * in Flink (Flink's own Jackson is shaded and internal) and the input is small.
 */
final class Json {
  private final String text;
  private int pos;

  private Json(String text) {
    this.text = text;
  }

  /** Parses one JSON value filling the whole text; throws IllegalArgumentException naming the offset. */
  static Object parse(String text) {
    Json parser = new Json(text);
    parser.skipWhitespace();
    Object value = parser.value(0);
    parser.skipWhitespace();
    if (parser.pos != text.length()) {
      throw parser.error("unexpected text after the JSON value");
    }
    return value;
  }

  private static final int MAX_DEPTH = 64;

  private Object value(int depth) {
    if (depth > MAX_DEPTH) {
      throw error("nested more than " + MAX_DEPTH + " levels deep");
    }
    if (pos >= text.length()) {
      throw error("unexpected end of input");
    }
    char c = text.charAt(pos);
    switch (c) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        literal("true");
        return Boolean.TRUE;
      case 'f':
        literal("false");
        return Boolean.FALSE;
      case 'n':
        literal("null");
        return null;
      default:
        if (c == '-' || (c >= '0' && c <= '9')) {
          return number();
        }
        throw error("unexpected character '" + c + "'");
    }
  }

  private Map<String, Object> object(int depth) {
    Map<String, Object> members = new LinkedHashMap<>();
    pos++; // {
    skipWhitespace();
    if (consume('}')) {
      return members;
    }
    while (true) {
      skipWhitespace();
      if (pos >= text.length() || text.charAt(pos) != '"') {
        throw error("expected a member name in double quotes");
      }
      String name = string();
      skipWhitespace();
      expect(':');
      skipWhitespace();
      if (members.containsKey(name)) {
        throw error("duplicate member \"" + name + "\"");
      }
      members.put(name, value(depth + 1));
      skipWhitespace();
      if (consume('}')) {
        return members;
      }
      expect(',');
    }
  }

  private List<Object> array(int depth) {
    List<Object> items = new ArrayList<>();
    pos++; // [
    skipWhitespace();
    if (consume(']')) {
      return items;
    }
    while (true) {
      skipWhitespace();
      items.add(value(depth + 1));
      skipWhitespace();
      if (consume(']')) {
        return items;
      }
      expect(',');
    }
  }

  private String string() {
    pos++; // opening quote
    StringBuilder out = new StringBuilder();
    while (true) {
      if (pos >= text.length()) {
        throw error("unterminated string");
      }
      char c = text.charAt(pos++);
      if (c == '"') {
        return out.toString();
      }
      if (c < 0x20) {
        throw error("control character in a string");
      }
      if (c != '\\') {
        out.append(c);
        continue;
      }
      if (pos >= text.length()) {
        throw error("unterminated escape");
      }
      char e = text.charAt(pos++);
      switch (e) {
        case '"':
        case '\\':
        case '/':
          out.append(e);
          break;
        case 'b':
          out.append('\b');
          break;
        case 'f':
          out.append('\f');
          break;
        case 'n':
          out.append('\n');
          break;
        case 'r':
          out.append('\r');
          break;
        case 't':
          out.append('\t');
          break;
        case 'u':
          // A surrogate pair is two \\u escapes; appending both UTF-16 units rebuilds it.
          out.append(hex4());
          break;
        default:
          pos--;
          throw error("bad escape '\\" + e + "'");
      }
    }
  }

  private char hex4() {
    if (pos + 4 > text.length()) {
      throw error("short \\u escape");
    }
    int v = 0;
    for (int i = 0; i < 4; i++) {
      int d = Character.digit(text.charAt(pos + i), 16);
      if (d < 0) {
        throw error("bad hex digit in \\u escape");
      }
      v = v * 16 + d;
    }
    pos += 4;
    return (char) v;
  }

  private Object number() {
    int start = pos;
    consume('-');
    if (consume('0')) {
      // a leading zero stands alone
    } else if (!digits()) {
      throw error("expected a digit");
    }
    boolean integral = true;
    if (consume('.')) {
      integral = false;
      if (!digits()) {
        throw error("expected a digit after '.'");
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E')) {
      integral = false;
      pos++;
      if (!consume('+')) {
        consume('-');
      }
      if (!digits()) {
        throw error("expected a digit in the exponent");
      }
    }
    String literal = text.substring(start, pos);
    if (integral) {
      try {
        return Long.valueOf(literal);
      } catch (NumberFormatException tooBig) {
        // falls through to a double
      }
    }
    return Double.valueOf(literal);
  }

  private boolean digits() {
    int start = pos;
    while (pos < text.length() && text.charAt(pos) >= '0' && text.charAt(pos) <= '9') {
      pos++;
    }
    return pos > start;
  }

  private void literal(String word) {
    if (!text.startsWith(word, pos)) {
      throw error("unexpected character '" + text.charAt(pos) + "'");
    }
    pos += word.length();
  }

  private boolean consume(char c) {
    if (pos < text.length() && text.charAt(pos) == c) {
      pos++;
      return true;
    }
    return false;
  }

  private void expect(char c) {
    if (!consume(c)) {
      throw error(pos < text.length() ? "expected '" + c + "'" : "unexpected end of input, expected '" + c + "'");
    }
  }

  private void skipWhitespace() {
    while (pos < text.length()) {
      char c = text.charAt(pos);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      pos++;
    }
  }

  private IllegalArgumentException error(String why) {
    return new IllegalArgumentException(why + " at offset " + pos);
  }
}
