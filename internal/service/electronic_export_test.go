package service

// MaskHolder is maskHolder, for the tests.
var MaskHolder = maskHolder
