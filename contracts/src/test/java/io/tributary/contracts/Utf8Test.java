package io.tributary.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class Utf8Test {

  @Test
  void agreesWithTheJdkDecoderOnRandomBytes() {
    SplittableRandom random = new SplittableRandom(13);
    String alphabet = "{\"a\":1} ñ€😀\u07ff\uffff";
    for (int run = 0; run < 20_000; run++) {
      StringBuilder text = new StringBuilder("{");
      int length = random.nextInt(40);
      for (int i = 0; i < length; i++) {
        text.appendCodePoint(
            alphabet.codePointAt(
                alphabet.offsetByCodePoints(
                    0, random.nextInt(alphabet.codePointCount(0, alphabet.length())))));
      }
      byte[] bytes = text.toString().getBytes(StandardCharsets.UTF_8);
      if (random.nextInt(3) == 0 && bytes.length > 1) {
        // Corrupt one byte (never the first four with a zero, which means UTF-16 here).
        bytes[1 + random.nextInt(bytes.length - 1)] = (byte) (0x80 + random.nextInt(0x80));
      }
      assertThat(Utf8.problem(bytes) == null)
          .as(HexFormat.of().formatHex(bytes))
          .isEqualTo(jdkDecodes(bytes));
    }
  }

  @ParameterizedTest
  @CsvSource({
    "7b22c3, a truncated UTF-8 sequence at byte 2",
    "7b22f4908080, a code point above U+10FFFF at byte 2",
    "7b22f5808080, invalid byte 0xF5 at byte 2",
    "7b22e08080, an overlong UTF-8 sequence at byte 2",
    "7b22c1bf, an overlong UTF-8 sequence at byte 2",
    "7b22eda080, an encoded UTF-16 surrogate (U+D800) at byte 2",
    "fffe7b00, 'zero bytes at its start: UTF-16 or UTF-32 text, which the contract does not allow'",
    "feff007b, 'zero bytes at its start: UTF-16 or UTF-32 text, which the contract does not allow'",
    "feff7b22, invalid byte 0xFE at byte 0 (a UTF-16 or UTF-32 byte order mark?)"
  })
  void namesWhatIsWrong(String hex, String problem) {
    assertThat(Utf8.problem(HexFormat.of().parseHex(hex))).isEqualTo(problem);
  }

  private static boolean jdkDecodes(byte[] bytes) {
    try {
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(java.nio.ByteBuffer.wrap(bytes));
      return true;
    } catch (CharacterCodingException e) {
      return false;
    }
  }
}
