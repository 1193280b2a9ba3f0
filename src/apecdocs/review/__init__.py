"""The review round: comments and tracked changes from returned DOCX files back to the
sources, the comment-resolution matrix, and applying changes to Markdown."""
