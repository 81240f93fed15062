using UrbanScore.Tools.Cities;

namespace UrbanScore.Tests.Cities;

public sealed class CityCatalogTests
{
    private const string GeoNamesSample =
        "2988507\tParis\tParis\tLutece,Paris\t48.85341\t2.3488\tP\tPPLC\tFR\t\t11\t75\t751\t75056\t2138551\t\t42\tEurope/Paris\t2024-06-03\n" +
        "3036281\tAvignon\tAvignon\t\t43.94834\t4.80892\tP\tPPLA3\tFR\t\t93\t84\t841\t84007\t92130\t\t23\tEurope/Paris\t2024-03-13\n";

    private const string SimpleMapsSample =
        "\"city\",\"city_ascii\",\"lat\",\"lng\",\"country\",\"iso2\",\"iso3\",\"admin_name\",\"capital\",\"population\",\"id\"\n" +
        "\"Tokyo\",\"Tokyo\",\"35.6870\",\"139.7495\",\"Japan\",\"JP\",\"JPN\",\"Tōkyō\",\"primary\",\"37785000\",\"1392685764\"\n" +
        "\"Washington, D.C.\",\"Washington\",\"38.9047\",\"-77.0163\",\"United States\",\"US\",\"USA\",\"District of Columbia\",\"primary\",\"5116378\",\"1840006060\"\n" +
        "\"Smallville\",\"Smallville\",\"10.0\",\"10.0\",\"Nowhere\",\"XX\",\"XXX\",\"\",\"\",\"\",\"1000000001\"\n";

    [Fact]
    public void Embedded_Loads_HoldsBigCitiesAboveFifteenThousand()
    {
        var catalog = CityCatalog.Embedded;

        Assert.InRange(catalog.Count, 20_000, 30_000);
        Assert.All(catalog.Cities, c => Assert.True(c.Population >= CityCatalog.EmbeddedMinPopulation, c.Name));
        var paris = Assert.Single(catalog.Cities, c => c.Id == 2988507);
        Assert.Equal("FR", paris.Country);
        Assert.Equal(48.853, paris.Location.Lat, 0.01);
        Assert.Equal(2.349, paris.Location.Lon, 0.01);
        Assert.Contains(catalog.Cities, c => c.Name == "Washington, D.C.");
        Assert.True(catalog.Cities[0].Population >= catalog.Cities[1].Population);
    }

    [Fact]
    public void WithMinPopulation_TwoHundredThousand_KeepsAboutTwoThousandPlaces()
    {
        var big = CityCatalog.Embedded.WithMinPopulation(200_000);

        Assert.InRange(big.Count, 2_000, 2_400);
        Assert.All(big.Cities, c => Assert.True(c.Population >= 200_000));
    }

    [Fact]
    public void Parse_GeoNamesRows_ReadsColumnsAndFilters()
    {
        using var reader = new StringReader(GeoNamesSample);

        var catalog = CityCatalog.Parse(reader, CityFileFormat.GeoNames, "cities15000.txt", minPopulation: 100_000);

        var paris = Assert.Single(catalog.Cities);
        Assert.Equal(new City(Id: 2988507, Name: "Paris", Country: "FR", Population: 2138551, Location: new(Lon: 2.3488, Lat: 48.85341)), paris);
    }

    [Fact]
    public void Parse_SimpleMapsRows_ReadsQuotedFieldsAndEmptyPopulation()
    {
        using var reader = new StringReader(SimpleMapsSample);

        var catalog = CityCatalog.Parse(reader, CityFileFormat.SimpleMaps, "worldcities.csv");

        Assert.Equal(3, catalog.Count);
        Assert.Equal("Tokyo", catalog.Cities[0].Name);
        Assert.Equal(139.7495, catalog.Cities[0].Location.Lon);
        Assert.Equal("Washington, D.C.", catalog.Cities[1].Name);
        Assert.Equal("US", catalog.Cities[1].Country);
        Assert.Equal(0, catalog.Cities[2].Population);
    }

    [Fact]
    public async Task LoadAsync_DetectsEachFormatFromTheFile()
    {
        var dir = Directory.CreateTempSubdirectory("urbanscore-cities-");
        try
        {
            var geoNames = Path.Combine(dir.FullName, "cities15000.txt");
            var simpleMaps = Path.Combine(dir.FullName, "worldcities.csv");
            await File.WriteAllTextAsync(geoNames, GeoNamesSample, TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(simpleMaps, SimpleMapsSample, TestContext.Current.CancellationToken);

            var a = await CityCatalog.LoadAsync(geoNames, cancellationToken: TestContext.Current.CancellationToken);
            var b = await CityCatalog.LoadAsync(simpleMaps, minPopulation: 1, cancellationToken: TestContext.Current.CancellationToken);

            Assert.Equal(["Paris", "Avignon"], a.Cities.Select(c => c.Name));
            Assert.Equal(["Tokyo", "Washington, D.C."], b.Cities.Select(c => c.Name));
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void Parse_SimpleMapsWithoutLng_ThrowsNamingColumnAndFile()
    {
        using var reader = new StringReader("\"city\",\"lat\",\"iso2\",\"population\",\"id\"\n\"Tokyo\",\"35.6\",\"JP\",\"1\",\"1\"\n");

        var ex = Assert.Throws<UrbanScoreException>(() => CityCatalog.Parse(reader, CityFileFormat.SimpleMaps, "worldcities.csv"));

        Assert.Contains("'lng'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("worldcities.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_GeoNamesRowWithoutPopulation_ThrowsNamingColumnAndFile()
    {
        using var reader = new StringReader("2988507\tParis\tParis\t\t48.85341\t2.3488\tP\tPPLC\tFR\t\t11\n");

        var ex = Assert.Throws<UrbanScoreException>(() => CityCatalog.Parse(reader, CityFileFormat.GeoNames, "cities15000.txt"));

        Assert.Contains("'population'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cities15000.txt", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_UrbanScoreCsvWithoutPopulation_ThrowsNamingColumnAndFile()
    {
        using var reader = new StringReader("id,name,country,lat,lon\n1,A,FR,1,2\n");

        var ex = Assert.Throws<UrbanScoreException>(() => CityCatalog.Parse(reader, CityFileFormat.UrbanScoreCsv, "mine.csv"));

        Assert.Contains("'population'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("mine.csv", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadLatitude_ThrowsNamingLine()
    {
        using var reader = new StringReader("id,name,country,population,lat,lon\n1,A,FR,20000,95,2\n");

        var ex = Assert.Throws<UrbanScoreException>(() => CityCatalog.Parse(reader, CityFileFormat.UrbanScoreCsv, "mine.csv"));

        Assert.Contains("Line 2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("'lat'", ex.Message, StringComparison.Ordinal);
    }
}
