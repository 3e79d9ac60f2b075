"""Ways for a citizen to enter Chinese text without a physical keyboard: handwriting
(``handwriting``, zinnia) and pinyin (``pinyin``, librime). No Qt here: the widgets in
ui/widgets call these off the UI thread."""
