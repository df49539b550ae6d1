namespace ContentApi.Infrastructure;

public static class Limits
{
    public const int DefaultPageSize = 20;
    public const int MaxPageSize = 100;
}
