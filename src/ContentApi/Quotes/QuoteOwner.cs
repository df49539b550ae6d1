namespace ContentApi.Quotes;

/// <summary>Who a quote belongs to, for the newest quotes embedded in a person or a source.</summary>
public enum QuoteOwner { Speaker, Source }
