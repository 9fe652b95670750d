"""What is not about schools at all: dates, tables read from files, PDFs, exports.

Any app may import `lib`; `lib` imports no app (a contract checked by import-linter).
"""
