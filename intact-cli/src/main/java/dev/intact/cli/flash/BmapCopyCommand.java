package dev.intact.cli.flash;

import picocli.CommandLine.Command;

/** {@code intact bmap copy}: bmaptool's verb for {@code intact flash}, with the same options. */
@Command(
    name = "copy",
    description = {"The same as 'intact flash' (bmaptool's name for it).", ""})
public final class BmapCopyCommand extends FlashCommand {}
