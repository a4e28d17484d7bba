"""The demo city "Thành phố Mẫu"."""
