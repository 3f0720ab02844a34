// Labels match despite small wording changes; cells read as ticks or words.

#include <gtest/gtest.h>

#include "parsing/label_text.hpp"

namespace ispd::label {
namespace {

TEST(LabelText, WordsDropPunctuationStopWordsAndFoldSpellings) {
  EXPECT_EQ(words("Officer E-mail:"), (std::vector<std::string>{"officer", "email"}));
  EXPECT_EQ(words("Adult’s services via commissioning teams"),
            (std::vector<std::string>{"adults", "services", "via", "commissioning", "teams"}));
  EXPECT_EQ(words("Ending placement(s)"), (std::vector<std::string>{"ending", "placement"}));
  EXPECT_EQ(words("Officer tel."), (std::vector<std::string>{"officer", "telephone"}));
}

TEST(LabelText, SimilarLabelsScoreHighAndDifferentOnesLow) {
  EXPECT_DOUBLE_EQ(similarity(words("Officer name"), words("officer name")), 1.0);
  EXPECT_GT(similarity(words("Provider Ofsted URN (if applicable)"), words("provider ofsted urn")), 0.9);
  EXPECT_GT(
      similarity(words("Quality concerns satisfactorily resolved"), words("quality concerns satisfactorily resolved")),
      similarity(words("Quality concerns satisfactorily resolved"),
                 words("safeguarding concerns satisfactorily resolved")));
  EXPECT_LT(similarity(words("Officer name"), words("officer email")), 0.6);
  EXPECT_GT(similarity(words("Criminal concern"), words("criminality")), 0.6);
}

TEST(LabelText, TicksInEveryFormReadAsTicked) {
  for (const char* text : {"☒", "☑", "✓", "✔", "✗", "✘", "X", "x", "Yes", "Y", "Ticked", " yes ", "\xEE\x80\x81"}) {
    EXPECT_EQ(tick_of(text), Tick::ticked) << text;
  }
}

TEST(LabelText, UntickedGlyphsAndNoWordsAreNotTicks) {
  for (const char* text : {"☐", "□", "No", "N/A", "-", "n", "\xEE\x80\x80"}) {
    EXPECT_EQ(tick_of(text), Tick::unticked) << text;
  }
  EXPECT_EQ(tick_of(""), Tick::empty);
  EXPECT_EQ(tick_of("Click or tap here to enter text."), Tick::empty);
  EXPECT_EQ(tick_of("Greater Manchester"), Tick::words);
}

TEST(LabelText, CleanFoldsSpacesKeepsParagraphsAndDropsPlaceholders) {
  EXPECT_EQ(clean("  Unit 4,\t\tMill   Brook  \n\n  Bolton "), "Unit 4, Mill Brook\nBolton");
  EXPECT_EQ(clean("Click or tap here to enter text."), "");
  EXPECT_EQ(clean("Click or tap to enter a date."), "");
}

TEST(LabelText, LabelCellSplitsTypedTickAndInlineValue) {
  auto cell = split_label_cell("Residential ☒");
  EXPECT_EQ(cell.label, "Residential");
  EXPECT_EQ(cell.tick, Tick::ticked);
  cell = split_label_cell("☐ Fostering");
  EXPECT_EQ(cell.label, "Fostering");
  EXPECT_EQ(cell.tick, Tick::unticked);
  cell = split_label_cell("Quality - yes");
  EXPECT_EQ(cell.label, "Quality");
  EXPECT_EQ(cell.tick, Tick::ticked);
  cell = split_label_cell("Organisation Name: Brookvale Care Ltd");
  EXPECT_EQ(cell.label, "Organisation Name");
  EXPECT_EQ(cell.rest, "Brookvale Care Ltd");
  cell = split_label_cell("Yes");
  EXPECT_EQ(cell.label, "Yes");
  EXPECT_EQ(cell.tick, Tick::empty);
}

}  // namespace
}  // namespace ispd::label

namespace ispd::label {
namespace {

TEST(LabelText, YesAndNoInOneCellReadByTheWordEachMarkFollows) {
  auto pair = yes_no_in("Yes ☒   No ☐");
  EXPECT_TRUE(pair.found);
  EXPECT_TRUE(pair.yes);
  EXPECT_FALSE(pair.no);
  pair = yes_no_in("Yes ☐ No ☒");
  EXPECT_TRUE(pair.found);
  EXPECT_FALSE(pair.yes);
  EXPECT_TRUE(pair.no);
  pair = yes_no_in("☐ Yes   \xEE\x80\x81 No (please review before finalising)");
  EXPECT_TRUE(pair.found);
  EXPECT_FALSE(pair.yes);
  EXPECT_TRUE(pair.no);
  pair = yes_no_in("Yes X   No");
  EXPECT_TRUE(pair.yes);
  EXPECT_FALSE(yes_no_in("Yes").found);
  EXPECT_FALSE(yes_no_in("Yes No").found) << "no mark, nothing to read";
}

}  // namespace
}  // namespace ispd::label
