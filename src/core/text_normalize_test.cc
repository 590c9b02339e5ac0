#include "core/text_normalize.h"

#include <gtest/gtest.h>

namespace oc {
namespace {

TEST(Utf8Test, AcceptsWellFormedText) {
  EXPECT_TRUE(IsValidUtf8(""));
  EXPECT_TRUE(IsValidUtf8("plain ASCII"));
  EXPECT_TRUE(IsValidUtf8("张三 Ｚｈａｎｇ 𠀀 é"));
  EXPECT_TRUE(IsValidUtf8("\xf4\x8f\xbf\xbf"));  // U+10FFFF
}

TEST(Utf8Test, RejectsIllFormedSequences) {
  EXPECT_FALSE(IsValidUtf8("\xff"));
  EXPECT_FALSE(IsValidUtf8("\x80"));
  EXPECT_FALSE(IsValidUtf8("\xe5\xbc"));          // truncated 张
  EXPECT_FALSE(IsValidUtf8("\xc0\xaf"));          // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xe0\x80\xaf"));      // overlong '/'
  EXPECT_FALSE(IsValidUtf8("\xed\xa0\x80"));      // surrogate U+D800
  EXPECT_FALSE(IsValidUtf8("\xf4\x90\x80\x80"));  // U+110000
  EXPECT_FALSE(IsValidUtf8("ok\xe5"));
}

TEST(ControlCharacterTest, FindsNulC0DelC1AndBidiControls) {
  for (std::string_view text :
       {std::string_view("a\0b", 3), std::string_view("\x01"), std::string_view("line\nbreak"),
        std::string_view("tab\there"), std::string_view("\x7f"), std::string_view("\xc2\x85"),
        std::string_view("\xe2\x80\xae"
                         "evil"),
        std::string_view("\xe2\x81\xa6x")}) {
    EXPECT_TRUE(HasControlCharacter(text)) << ::testing::PrintToString(std::string(text));
  }
  EXPECT_FALSE(HasControlCharacter("张三 Zhang San，朝阳路88号"));
  EXPECT_FALSE(HasControlCharacter("第一行\n第二行\r\n\t缩进", /*allow_line_breaks=*/true));
  EXPECT_TRUE(HasControlCharacter(std::string_view("a\0b", 3), /*allow_line_breaks=*/true));
  EXPECT_TRUE(HasControlCharacter("\x0b", /*allow_line_breaks=*/true));
}

TEST(Utf8Test, CountsCharactersNotBytes) {
  EXPECT_EQ(Utf8Length(""), 0u);
  EXPECT_EQ(Utf8Length("abc"), 3u);
  EXPECT_EQ(Utf8Length("张三"), 2u);
  EXPECT_EQ(Utf8Length("李四 Li Si 𠀀"), 10u);
  EXPECT_EQ(Utf8Length("a\xff\xfe"), 3u);  // each ill-formed byte counts once
}

TEST(Utf8Test, DecodesOneCharacterAtATime) {
  const std::string text = "a张";
  Utf8Char a = DecodeUtf8At(text, 0);
  EXPECT_TRUE(a.valid);
  EXPECT_EQ(a.code_point, U'a');
  EXPECT_EQ(a.length, 1u);
  Utf8Char zhang = DecodeUtf8At(text, 1);
  EXPECT_TRUE(zhang.valid);
  EXPECT_EQ(zhang.code_point, U'张');
  EXPECT_EQ(zhang.length, 3u);
  EXPECT_EQ(DecodeUtf8At(text, text.size()).length, 0u);
  Utf8Char bad = DecodeUtf8At("\xe5\xbc", 0);
  EXPECT_FALSE(bad.valid);
  EXPECT_EQ(bad.code_point, U'\uFFFD');
  EXPECT_EQ(bad.length, 1u);
}

TEST(FoldFullWidthTest, FoldsTheFullWidthBlockAndIdeographicSpace) {
  EXPECT_EQ(FoldFullWidth("１３８００１３８０００"), "13800138000");
  EXPECT_EQ(FoldFullWidth("ＡＢＣ　ａｂｃ！～＠＋－"), "ABC abc!~@+-");
}

TEST(FoldFullWidthTest, LeavesChineseTextAndPunctuationOutsideTheBlockAlone) {
  EXPECT_EQ(FoldFullWidth("北京市朝阳区。、“”《》·"), "北京市朝阳区。、“”《》·");
  EXPECT_EQ(FoldFullWidth("ｶﾀｶﾅ￥"),
            "ｶﾀｶﾅ￥");  // half-width katakana and ￥ are not in U+FF01–FF5E
  EXPECT_EQ(FoldFullWidth("a\xff"
                          "１"),
            "a\xff"
            "1");
}

TEST(NormalizeNameTest, TrimsAndCollapsesWhitespace) {
  EXPECT_EQ(NormalizeName("  张三  "), "张三");
  EXPECT_EQ(NormalizeName("Zhang \t\n San"), "Zhang San");
  EXPECT_EQ(NormalizeName("\u3000张\u3000\u3000三\u3000"), "张 三");
  EXPECT_EQ(NormalizeName("Li\u00a0Si"), "Li Si");
  EXPECT_EQ(NormalizeName(""), "");
  EXPECT_EQ(NormalizeName(" \u3000\t "), "");
}

TEST(NormalizeNameTest, FoldsFullWidthLettersAndDigitsInMixedChineseText) {
  EXPECT_EQ(NormalizeName("　深圳市ＡＢＣ科技有限公司（第２分公司）　"),
            "深圳市ABC科技有限公司(第2分公司)");
  EXPECT_EQ(NormalizeName("王　ＸＩＡＯ　明"), "王 XIAO 明");
}

TEST(NormalizeNameTest, KeepsNamesWithMiddleDots) {
  EXPECT_EQ(NormalizeName("买买提·艾力"), "买买提·艾力");
}

TEST(NormalizeNameTest, RemovesControlAndZeroWidthCharacters) {
  EXPECT_EQ(NormalizeName("\xef\xbb\xbf张\x01三\x7f"), "张三");
  EXPECT_EQ(NormalizeName("张\u200b三"), "张三");
  EXPECT_EQ(NormalizeName("Zhang\u0085San"), "Zhang San");  // NEL is a line break
  EXPECT_EQ(NormalizeName("Zhang\u0090San"), "ZhangSan");   // other C1 controls vanish
}

TEST(NormalizeNameTest, ReplacesIllFormedBytes) {
  const std::string out = NormalizeName("张\xff三");
  EXPECT_EQ(out, "张\uFFFD三");
  EXPECT_TRUE(IsValidUtf8(out));
}

}  // namespace
}  // namespace oc
