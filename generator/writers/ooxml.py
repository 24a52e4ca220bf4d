"""Child elements put where the WordprocessingML schema wants them.

Word reads many property elements as a strict sequence (ECMA-376 Part 1,
transitional schema, ``wml.xsd``): a ``w:tblCellMar`` appended after the
``w:tblLook`` python-docx already wrote makes a file Word "repairs".  So the
DOCX writer never appends a property element by hand; it calls
:func:`place`, which knows each parent's sequence and inserts the child
before the first sibling that must follow it.
"""

from __future__ import annotations

from typing import Any

from docx.oxml.ns import qn


def _sequence(names: str) -> tuple[str, ...]:
    return tuple(names.split())


#: The child sequences of the parents the writer adds to (local names, schema order).
SEQUENCES: dict[str, tuple[str, ...]] = {
    "tblPr": _sequence(
        """
        tblStyle tblpPr tblOverlap bidiVisual tblStyleRowBandSize tblStyleColBandSize tblW jc
        tblCellSpacing tblInd tblBorders shd tblLayout tblCellMar tblLook tblCaption
        tblDescription tblPrChange
        """
    ),
    # A table row's properties (in any order) come before its revision marks.
    "trPr": _sequence(
        """
        cnfStyle divId gridBefore gridAfter wBefore wAfter cantSplit trHeight tblHeader tblCellSpacing
        jc hidden ins del trPrChange
        """
    ),
    "pPr": _sequence(
        """
        pStyle keepNext keepLines pageBreakBefore framePr widowControl numPr suppressLineNumbers pBdr
        shd tabs suppressAutoHyphens kinsoku wordWrap overflowPunct topLinePunct autoSpaceDE autoSpaceDN
        bidi adjustRightInd snapToGrid spacing ind contextualSpacing mirrorIndents suppressOverlap jc
        textDirection textAlignment textboxTightWrap outlineLvl divId cnfStyle rPr sectPr pPrChange
        """
    ),
    "rPr": _sequence(
        """
        rStyle rFonts b bCs i iCs caps smallCaps strike dstrike outline shadow emboss imprint noProof
        snapToGrid vanish webHidden color spacing w kern position sz szCs highlight u effect bdr shd
        fitText vertAlign rtl cs em lang eastAsianLayout specVanish oMath rPrChange
        """
    ),
    "settings": _sequence(
        """
        writeProtection view zoom removePersonalInformation removeDateAndTime
        doNotDisplayPageBoundaries displayBackgroundShape printPostScriptOverText
        printFractionalCharacterWidth printFormsData embedTrueTypeFonts embedSystemFonts
        saveSubsetFonts saveFormsData mirrorMargins alignBordersAndEdges
        bordersDoNotSurroundHeader bordersDoNotSurroundFooter gutterAtTop hideSpellingErrors
        hideGrammaticalErrors activeWritingStyle proofState formsDesign attachedTemplate
        linkStyles stylePaneFormatFilter stylePaneSortMethod documentType mailMerge revisionView
        trackRevisions doNotTrackMoves doNotTrackFormatting documentProtection
        autoFormatOverride styleLockTheme styleLockQFSet defaultTabStop autoHyphenation
        consecutiveHyphenLimit hyphenationZone doNotHyphenateCaps showEnvelope summaryLength
        clickAndTypeStyle defaultTableStyle evenAndOddHeaders bookFoldRevPrinting
        bookFoldPrinting bookFoldPrintingSheets drawingGridHorizontalSpacing
        drawingGridVerticalSpacing displayHorizontalDrawingGridEvery
        displayVerticalDrawingGridEvery doNotUseMarginsForDrawingGridOrigin
        drawingGridHorizontalOrigin drawingGridVerticalOrigin doNotShadeFormData
        noPunctuationKerning characterSpacingControl printTwoOnOne strictFirstAndLastChars
        noLineBreaksAfter noLineBreaksBefore savePreviewPicture doNotValidateAgainstSchema
        saveInvalidXml ignoreMixedContent alwaysShowPlaceholderText doNotDemarcateInvalidXml
        saveXmlDataOnly useXSLTWhenSaving saveThroughXslt showXMLTags alwaysMergeEmptyNamespace
        updateFields hdrShapeDefaults footnotePr endnotePr compat docVars rsids mathPr
        attachedSchema themeFontLang clrSchemeMapping doNotIncludeSubdocsInStats
        doNotAutoCompressPictures forceUpgrade captions readModeInkLockDown smartTagType
        schemaLibrary shapeDefaults doNotEmbedSmartTags decimalSymbol listSeparator
        """
    ),
}


#: The WordprocessingML namespace as lxml spells it in a tag: ``{…}``.
_W = qn("w:x")[:-1]


def place(parent: Any, child: Any) -> Any:
    """Insert ``child`` into ``parent`` at its place in the schema's sequence, replacing a namesake.

    Both are lxml elements in the ``w:`` namespace.  Returns ``child``.
    Raises ``KeyError`` or ``ValueError`` for a parent or child this module
    has no sequence for: a writer bug, caught by the tests, never a user's input.
    """
    order = SEQUENCES[parent.tag.removeprefix(_W)]
    rank = order.index(child.tag.removeprefix(_W))
    for existing in parent.findall(child.tag):
        parent.remove(existing)
    for index, sibling in enumerate(parent):
        name = sibling.tag.removeprefix(_W) if isinstance(sibling.tag, str) else ""
        if name in order and order.index(name) > rank:
            parent.insert(index, child)
            return child
    parent.append(child)
    return child
